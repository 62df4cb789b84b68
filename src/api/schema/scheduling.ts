// scheduling.k8s.io/v1: PriorityClass. Proto tags follow k8s.io/api/scheduling/v1/generated.proto (v1.32).

import { boolean, field, gvk, int32, meta, ref, string, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { TypeDef } from './types.ts';

export const schedulingTypes: readonly TypeDef[] = [
  type('io.k8s.api.scheduling.v1.PriorityClass', 'Maps a priority class name to the integer priority pods get.', [
    field('apiVersion', 0, string, 'Versioned schema of this representation of the object.'),
    field('kind', 0, string, 'REST resource this object represents.'),
    field('metadata', 1, ref(meta('ObjectMeta')), 'Standard metadata of the priority class.'),
    field('value', 2, int32, 'Priority given to pods naming this class.', { required: true }),
    field('globalDefault', 3, boolean, 'Makes this the priority of pods that name no class.'),
    field('description', 4, string, 'Free text on when to use this class.'),
    field('preemptionPolicy', 5, string, 'PreemptLowerPriority (default) or Never.', { enum: ['Never', 'PreemptLowerPriority'] }),
  ], { gvk: gvk('scheduling.k8s.io', 'v1', 'PriorityClass') }),
];

registerTypes(schedulingTypes);
