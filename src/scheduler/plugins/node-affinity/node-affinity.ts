// NodeAffinity: nodeSelector and required node-affinity terms filter; preferred terms score.

import type { Plugin } from '../../framework/interface.ts';
import { podMatchesNodeSelectorAndAffinity, termMatchesNode } from '../../framework/node-selector.ts';
import { Code, shared, skip } from '../../framework/status.ts';
import type { NodeSelectorTerm, PreferredSchedulingTerm } from '../../types.ts';
import { normalizeByMax } from '../normalize.ts';

export const errReasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";
const reject = shared(Code.UnschedulableAndUnresolvable, 'NodeAffinity', errReasonNodeAffinity);

export function nodeAffinity(args: Record<string, unknown> = {}): Plugin {
  const key = 'NodeAffinity';
  // addedAffinity: a profile-wide requirement every pod must also meet.
  const added = (args.addedAffinity as { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] } } | undefined)
    ?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return {
    name: key,
    events: ['NodeAdd', 'NodeUpdate'],
    preFilter(_state, pod) {
      const s = pod.pod.spec;
      if (!s?.nodeSelector && !s?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution && !added) return skip();
      return null;
    },
    filter(_state, pod, node) {
      const n = node.node;
      if (!n) return reject;
      if (added && !added.some((t) => termMatchesNode(t, n))) return reject;
      return podMatchesNodeSelectorAndAffinity(pod.pod, n) ? null : reject;
    },
    preScore(state, pod) {
      const terms = pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
      if (terms.length === 0) return skip();
      state.set(key, terms);
      return null;
    },
    score(state, _pod, node) {
      const terms = state.get(key) as PreferredSchedulingTerm[];
      let sum = 0;
      if (!node.node) return 0;
      for (const t of terms) if (t.weight !== 0 && termMatchesNode(t.preference, node.node)) sum += t.weight;
      return sum;
    },
    normalizeScore(_state, _pod, _nodes, scores) {
      normalizeByMax(scores, false);
    },
  };
}
