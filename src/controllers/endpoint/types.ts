// The parts of Service, Pod, Endpoints and EndpointSlice the endpoint controllers read and write.

import type { KubeObject } from '../../api/meta.ts';

export type ServicePort = { name?: string; port: number; targetPort?: number | string; protocol?: string; appProtocol?: string };

export type Service = KubeObject & {
  spec?: { selector?: Record<string, string>; ports?: ServicePort[]; clusterIP?: string; publishNotReadyAddresses?: boolean; type?: string };
};

export type ContainerPort = { name?: string; containerPort: number; protocol?: string };

export type PodCondition = { type: string; status: string; lastTransitionTime?: string };

export type Pod = KubeObject & {
  spec?: { nodeName?: string; hostname?: string; subdomain?: string; containers?: { name: string; ports?: ContainerPort[]; [k: string]: unknown }[]; [k: string]: unknown };
  status?: { phase?: string; podIP?: string; podIPs?: { ip: string }[]; conditions?: PodCondition[]; [k: string]: unknown };
};

export type EndpointPort = { name?: string; port: number; protocol: string; appProtocol?: string };

export type ObjectReference = { kind: string; namespace: string; name: string; uid: string };

export type EndpointAddress = { ip: string; hostname?: string; nodeName?: string; targetRef: ObjectReference };

export type EndpointSubset = { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[]; ports?: EndpointPort[] };

export type Endpoints = KubeObject & { subsets?: EndpointSubset[] };

export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const serviceNameLabel = 'kubernetes.io/service-name';
export const headlessLabel = 'service.kubernetes.io/headless';
