// policy/v1: PodDisruptionBudget and Eviction. Proto tags follow k8s.io/api/policy/v1/generated.proto (v1.32).

import { field, gvk, int32, int64, intOrString, keyedList, map, meta, ref, string, time, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { TypeDef } from './types.ts';

const policy = (name: string): string => `io.k8s.api.policy.v1.${name}`;

const apiVersion = field('apiVersion', 0, string, 'Versioned schema of this representation of the object.');
const kind = field('kind', 0, string, 'REST resource this object represents.');

export const policyTypes: readonly TypeDef[] = [
  type(policy('PodDisruptionBudget'), 'Limits how many pods of a set voluntary disruptions may take down at once.', [
    apiVersion,
    kind,
    field('metadata', 1, ref(meta('ObjectMeta')), 'Standard metadata of the budget.'),
    field('spec', 2, ref(policy('PodDisruptionBudgetSpec')), 'Desired disruption limits.'),
    field('status', 3, ref(policy('PodDisruptionBudgetStatus')), 'Most recently observed state of the budget.'),
  ], { gvk: gvk('policy', 'v1', 'PodDisruptionBudget') }),
  type(policy('PodDisruptionBudgetSpec'), 'Disruption limits of a budget.', [
    field('minAvailable', 1, intOrString, 'Pods (count or percentage) that must stay available after an eviction.'),
    // A selector is replaced whole on patch: merging two selectors would widen or narrow it by accident.
    field('selector', 2, ref(meta('LabelSelector')), 'Pods the budget covers; empty selects all pods of the namespace.', { patchStrategy: 'replace' }),
    field('maxUnavailable', 3, intOrString, 'Pods (count or percentage) that may be unavailable after an eviction.'),
    field('unhealthyPodEvictionPolicy', 4, string, 'When running but unready pods may be evicted: IfHealthyBudget (default) or AlwaysAllow.', {
      enum: ['AlwaysAllow', 'IfHealthyBudget'],
    }),
  ]),
  type(policy('PodDisruptionBudgetStatus'), 'Observed state of a budget.', [
    field('observedGeneration', 1, int64, 'Generation last acted upon by the disruption controller.'),
    field('disruptedPods', 2, map(time), 'Pods being evicted but not yet seen deleted, with the time of the eviction.'),
    field('disruptionsAllowed', 3, int32, 'Disruptions currently allowed.', { required: true }),
    field('currentHealthy', 4, int32, 'Healthy pods right now.', { required: true }),
    field('desiredHealthy', 5, int32, 'Fewest healthy pods wanted.', { required: true }),
    field('expectedPods', 6, int32, 'Pods counted by the budget.', { required: true }),
    keyedList('conditions', 7, meta('Condition'), 'type', 'Latest observations of the budget, e.g. DisruptionAllowed.'),
  ]),
  type(policy('Eviction'), 'A request to evict a pod while respecting disruption budgets, posted to pods/eviction.', [
    apiVersion,
    kind,
    field('metadata', 1, ref(meta('ObjectMeta')), 'Names the pod to evict.'),
    field('deleteOptions', 2, ref(meta('DeleteOptions')), 'Options for the deletion of the pod.'),
  ], { gvk: gvk('policy', 'v1', 'Eviction') }),
];

registerTypes(policyTypes);
