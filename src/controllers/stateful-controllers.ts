// The StatefulSet, DaemonSet, Job and CronJob controllers, as the controller manager starts them.

import type { ControllerDescriptor } from './types.ts';

export const statefulControllers: ControllerDescriptor[] = [];
