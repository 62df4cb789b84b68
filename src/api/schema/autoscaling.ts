// autoscaling/v1: Scale, the body of every scale subresource.
// Proto tags follow k8s.io/api/autoscaling/v1/generated.proto (v1.32).

import { field, gvk, int32, meta, ref, string, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { TypeDef } from './types.ts';

const autoscaling = (name: string): string => `io.k8s.api.autoscaling.v1.${name}`;

export const autoscalingTypes: readonly TypeDef[] = [
  type(autoscaling('Scale'), 'The replica count of a scalable resource, as read and written through its scale subresource.', [
    field('apiVersion', 0, string, 'Versioned schema of this representation of the object.'),
    field('kind', 0, string, 'REST resource this object represents.'),
    field('metadata', 1, ref(meta('ObjectMeta')), 'Metadata of the scaled object.'),
    field('spec', 2, ref(autoscaling('ScaleSpec')), 'Desired scale.'),
    field('status', 3, ref(autoscaling('ScaleStatus')), 'Observed scale.'),
  ], { gvk: gvk('autoscaling', 'v1', 'Scale') }),
  type(autoscaling('ScaleSpec'), 'Desired scale of a resource.', [
    field('replicas', 1, int32, 'Desired number of replicas.'),
  ]),
  type(autoscaling('ScaleStatus'), 'Observed scale of a resource.', [
    field('replicas', 1, int32, 'Observed number of replicas.', { required: true }),
    field('selector', 2, string, 'Label selector of the counted pods, in query-string form.'),
  ]),
];

registerTypes(autoscalingTypes);
