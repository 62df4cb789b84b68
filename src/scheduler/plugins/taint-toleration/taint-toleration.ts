// TaintToleration: NoSchedule/NoExecute taints must be tolerated; untolerated
// PreferNoSchedule taints lower the score.

import type { Plugin } from '../../framework/interface.ts';
import { maxNodeScore } from '../../framework/interface.ts';
import { Code, sharedCache } from '../../framework/status.ts';
import { firstUntolerated, toleratedBy } from '../../framework/taints.ts';
import type { Toleration } from '../../types.ts';

const hardEffects = ['NoSchedule', 'NoExecute'] as const;
const reject = sharedCache(Code.UnschedulableAndUnresolvable, 'TaintToleration');

export function taintToleration(): Plugin {
  const key = 'TaintToleration';
  return {
    name: key,
    events: ['NodeAdd', 'NodeUpdate'],
    filter(_state, pod, node) {
      const taint = firstUntolerated(node.node?.spec?.taints, pod.pod.spec?.tolerations, hardEffects);
      if (!taint) return null;
      return reject([`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`]);
    },
    preScore(state, pod) {
      const soft = (pod.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
      state.set(key, soft);
      return null;
    },
    score(state, _pod, node) {
      const soft = state.get(key) as Toleration[];
      let n = 0;
      for (const taint of node.node?.spec?.taints ?? []) if (taint.effect === 'PreferNoSchedule' && !toleratedBy(taint, soft)) n++;
      return n;
    },
    normalizeScore(_state, _pod, _nodes, scores) {
      // Fewer untolerated taints is better.
      let max = 0;
      for (const s of scores) if (s > max) max = s;
      for (let i = 0; i < scores.length; i++) scores[i] = max === 0 ? maxNodeScore : maxNodeScore - Math.floor((scores[i]! * maxNodeScore) / max);
    },
  };
}
