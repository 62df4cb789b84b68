// The StatefulSet, DaemonSet, Job and CronJob controllers, as the controller manager starts them.

import { startCronJobController } from './cronjob/controller.ts';
import { startDaemonSetController } from './daemonset/controller.ts';
import { startJobController } from './job/controller.ts';
import { startStatefulSetController } from './statefulset/controller.ts';
import type { ControllerDescriptor } from './types.ts';

export const statefulControllers: ControllerDescriptor[] = [
  { name: 'statefulset', start: startStatefulSetController },
  { name: 'daemonset', start: startDaemonSetController },
  { name: 'job', start: (ctx) => startJobController(ctx) },
  { name: 'cronjob', start: startCronJobController },
];
