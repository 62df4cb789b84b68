// The ReplicaSet, ReplicationController and Deployment controllers, as the controller manager starts them.

import { startDeploymentController } from './deployment/controller.ts';
import { startReplicaSetController } from './replicaset/controller.ts';
import { replicaSetKind, replicationControllerKind } from './replicaset/kind.ts';
import type { ControllerDescriptor } from './types.ts';

export const workloadControllers: ControllerDescriptor[] = [
  { name: 'replicaset', start: (ctx) => startReplicaSetController(ctx, replicaSetKind) },
  { name: 'replicationcontroller', start: (ctx) => startReplicaSetController(ctx, replicationControllerKind) },
  { name: 'deployment', start: (ctx) => startDeploymentController(ctx) },
];
