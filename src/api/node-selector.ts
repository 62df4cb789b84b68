// What a pod's nodeSelector and required node affinity mean for a node. One
// definition for the scheduler, the kubelet's admission and the DaemonSet
// controller, which must all agree on where a pod may run.

import { getKey } from '../machinery/own-keys.ts';

export type NodeSelectorRequirement = { key: string; operator: string; values?: readonly string[] };
export type NodeSelectorTerm = { matchExpressions?: readonly NodeSelectorRequirement[]; matchFields?: readonly NodeSelectorRequirement[] };
export type NodeIdentity = { name?: string | undefined; labels?: Readonly<Record<string, string>> | undefined };

type PodPlacement = {
  nodeSelector?: Readonly<Record<string, string>>;
  affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: readonly NodeSelectorTerm[] } } };
};

const integer = /^-?\d+$/;

export function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const want = values[0];
      if (value === undefined || values.length !== 1 || !integer.test(value) || !integer.test(want!)) return false;
      return r.operator === 'Gt' ? Number(value) > Number(want) : Number(value) < Number(want);
    }
    default:
      return false;
  }
}

/** The requirements of one term are ANDed; an empty term matches nothing; matchFields knows only metadata.name. */
export function termMatches(term: NodeSelectorTerm, node: NodeIdentity): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.labels ?? {};
  for (const r of exprs) if (!requirementMatches(r, getKey(labels, r.key))) return false;
  for (const r of fields) if (r.key !== 'metadata.name' || !requirementMatches(r, node.name)) return false;
  return true;
}

/** nodeSelector (every label equal) and required node affinity (any term) together. */
export function podFitsNodeSelector(spec: PodPlacement | undefined, node: NodeIdentity): boolean {
  const selector = spec?.nodeSelector;
  if (selector) {
    const labels = node.labels ?? {};
    for (const k in selector) if (getKey(labels, k) !== selector[k]) return false;
  }
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !(required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node))) return false;
  return true;
}
