// Spread constraints of a pod, resolved: its own, or the profile's defaults.

import { selectorFromLabelSelector, type LabelSelectorRequirement, type Selector } from '../../../machinery/labels.ts';
import { hasKey } from '../../../machinery/own-keys.ts';
import type { Handle } from '../../framework/interface.ts';
import type { Pod, TopologySpreadConstraint } from '../../types.ts';

export type Constraint = {
  maxSkew: number;
  topologyKey: string;
  hard: boolean;
  selector: Selector;
  /** Memo key: which pods this constraint counts. */
  memoKey: string;
  minDomains: number;
  honorAffinity: boolean;
  honorTaints: boolean;
};

export const systemDefaultConstraints: TopologySpreadConstraint[] = [
  { topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
  { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
];

export function podConstraints(pod: Pod, defaults: readonly TopologySpreadConstraint[], handle: Handle): Constraint[] {
  const ns = pod.metadata.namespace ?? 'default';
  const own = pod.spec?.topologySpreadConstraints ?? [];
  if (own.length > 0) {
    const labels = pod.metadata.labels ?? {};
    return own.map((c) => {
      // matchLabelKeys: only pods sharing the incoming pod's values for these keys count.
      const extra: LabelSelectorRequirement[] = (c.matchLabelKeys ?? []).filter((k) => hasKey(labels, k)).map((k) => ({ key: k, operator: 'In', values: [labels[k]!] }));
      const ls = c.labelSelector ? { ...c.labelSelector, matchExpressions: [...(c.labelSelector.matchExpressions ?? []), ...extra] } : extra.length > 0 ? { matchExpressions: extra } : null;
      let selector: Selector;
      try {
        selector = selectorFromLabelSelector(ls);
      } catch {
        selector = selectorFromLabelSelector({ matchExpressions: [{ key: 'x', operator: 'In', values: [] }] });
      }
      // A nil selector matches no pods at all.
      const memoKey = ls ? `${ns}|${selector.toString()}` : `${ns}|<none>`;
      if (!ls) selector = { empty: false, requirements: [], matches: () => false, toString: () => '<none>' };
      return resolve(c, selector, memoKey);
    });
  }
  if (defaults.length === 0) return [];
  const selector = handle.defaultSpreadSelector(pod);
  if (!selector || selector.empty) return [];
  return defaults.map((c) => resolve(c, selector, `${ns}|${selector.toString()}`));
}

function resolve(c: TopologySpreadConstraint, selector: Selector, memoKey: string): Constraint {
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    hard: c.whenUnsatisfiable !== 'ScheduleAnyway',
    selector,
    memoKey,
    minDomains: c.minDomains ?? 1,
    honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
    honorTaints: (c.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
  };
}
