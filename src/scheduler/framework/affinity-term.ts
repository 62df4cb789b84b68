// Pod (anti-)affinity terms resolved once per pod: selectors parsed, namespaces settled.

import { selectorFromLabelSelector, type LabelSelector, type LabelSelectorRequirement, type Selector } from '../../machinery/labels.ts';
import { getKey } from '../../machinery/own-keys.ts';
import type { Pod, PodAffinityTerm } from '../types.ts';

export type AffinityTerm = {
  selector: Selector;
  namespaces: ReadonlySet<string>;
  /** Set when the term has a namespaceSelector: matched against namespace labels. */
  namespaceSelector: Selector | null;
  topologyKey: string;
  weight: number;
};

export type NamespaceLabels = (namespace: string) => Readonly<Record<string, string>> | undefined;

export function affinityTerm(pod: Pod, t: PodAffinityTerm, weight = 0): AffinityTerm {
  const ns = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  let ls: LabelSelector | null | undefined = t.labelSelector;
  // matchLabelKeys / mismatchLabelKeys narrow the selector by the incoming pod's own labels.
  const extra: LabelSelectorRequirement[] = [];
  for (const k of t.matchLabelKeys ?? []) {
    const v = getKey(labels, k);
    if (v !== undefined) extra.push({ key: k, operator: 'In', values: [v] });
  }
  for (const k of t.mismatchLabelKeys ?? []) {
    const v = getKey(labels, k);
    if (v !== undefined) extra.push({ key: k, operator: 'NotIn', values: [v] });
  }
  if (extra.length > 0 && ls) ls = { ...ls, matchExpressions: [...(ls.matchExpressions ?? []), ...extra] };
  let selector: Selector;
  try {
    selector = selectorFromLabelSelector(ls ?? null);
  } catch {
    selector = selectorFromLabelSelector({ matchExpressions: [{ key: 'x', operator: 'In', values: [] }] });
  }
  const namespaces = new Set(t.namespaces ?? []);
  const nsSel = t.namespaceSelector ? selectorFromLabelSelector(t.namespaceSelector) : null;
  if (namespaces.size === 0 && !nsSel) namespaces.add(ns);
  return { selector, namespaces, namespaceSelector: nsSel, topologyKey: t.topologyKey, weight };
}

/** A nil labelSelector matches nothing, an empty one everything (as in Kubernetes). */
export function termMatches(term: AffinityTerm, pod: Pod, nsLabels: NamespaceLabels): boolean {
  const ns = pod.metadata.namespace ?? 'default';
  if (!term.namespaces.has(ns)) {
    if (!term.namespaceSelector || !term.namespaceSelector.matches(nsLabels(ns) ?? {})) return false;
  }
  return term.selector.matches(pod.metadata.labels);
}
