// discovery.k8s.io/v1 EndpointSlice, the fields this controller writes.

import type { KubeObject } from '../../api/meta.ts';
import type { EndpointPort, ObjectReference } from '../endpoint/types.ts';

export type SliceEndpoint = {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef: ObjectReference;
};

export type EndpointSlice = KubeObject & {
  addressType: 'IPv4' | 'IPv6';
  endpoints?: SliceEndpoint[] | null;
  ports?: EndpointPort[] | null;
};

export const controllerName = 'endpointslice-controller.k8s.io';
export const defaultMaxEndpointsPerSlice = 100;
