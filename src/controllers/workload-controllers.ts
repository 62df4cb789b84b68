// The ReplicaSet, ReplicationController and Deployment controllers, as the controller manager starts them.

import type { ControllerDescriptor } from './types.ts';

export const workloadControllers: ControllerDescriptor[] = [];
