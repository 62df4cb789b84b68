// The garbage collector, namespace, endpoints, endpointslices, node lifecycle, node IPAM, service accounts, pod GC, event TTL, PV binder, PVC and PV protection, and local-path provisioner controllers, as the controller manager starts them.

import { startEndpointController } from './endpoint/controller.ts';
import { startEndpointSliceController } from './endpointslice/controller.ts';
import { startEventTTLController } from './eventttl/controller.ts';
import { startGarbageCollector } from './garbagecollector/controller.ts';
import { startNamespaceController } from './namespace/controller.ts';
import { startNodeIpamController } from './nodeipam/controller.ts';
import { startNodeLifecycleController } from './nodelifecycle/controller.ts';
import { startPodGCController } from './podgc/controller.ts';
import { startServiceAccountController } from './serviceaccount/controller.ts';
import { startLocalProvisioner } from './volume/local-provisioner/controller.ts';
import { startPersistentVolumeController } from './volume/persistentvolume/controller.ts';
import { startPvcProtectionController, startPvProtectionController } from './volume/protection/controller.ts';
import type { ControllerDescriptor } from './types.ts';

export const clusterControllers: ControllerDescriptor[] = [
  { name: 'garbagecollector', start: startGarbageCollector },
  { name: 'namespace', start: startNamespaceController },
  { name: 'endpoint', start: startEndpointController },
  { name: 'endpointslice', start: (ctx) => startEndpointSliceController(ctx) },
  { name: 'nodelifecycle', start: startNodeLifecycleController },
  { name: 'nodeipam', start: startNodeIpamController },
  { name: 'serviceaccount', start: startServiceAccountController },
  { name: 'podgc', start: startPodGCController },
  { name: 'eventttl', start: startEventTTLController },
  { name: 'persistentvolume-binder', start: startPersistentVolumeController },
  { name: 'persistentvolumeclaim-protection', start: startPvcProtectionController },
  { name: 'persistentvolume-protection', start: startPvProtectionController },
  { name: 'local-path-provisioner', start: startLocalProvisioner },
];
