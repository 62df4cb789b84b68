// DefaultPreemption (PostFilter): a pod that fits nowhere may evict lower-priority pods
// from one node; it is then nominated to that node and retried once they are gone.

import type { Handle, Plugin, PostFilterResult } from '../../framework/interface.ts';
import { Code, unschedulable, type Status } from '../../framework/status.ts';
import { fitErrorMessage } from '../../fit-error.ts';
import { errReasonNotHelpful, pickCandidate, selectVictimsOnNode, type Candidate } from './select-victims.ts';

export function defaultPreemption(args: Record<string, unknown>, handle: Handle): Plugin {
  const minPct = (args.minCandidateNodesPercentage as number | undefined) ?? 10;
  const minAbs = (args.minCandidateNodesAbsolute as number | undefined) ?? 100;
  return {
    name: 'DefaultPreemption',
    async postFilter(state, pod, filtered): Promise<PostFilterResult> {
      if (pod.pod.spec?.preemptionPolicy === 'Never') return { status: unschedulable('preemption: not eligible due to preemptionPolicy=Never.') };
      const snapshot = handle.snapshot();
      const nominated = pod.pod.status?.nominatedNodeName;
      if (nominated) {
        // Victims of an earlier preemption are still leaving: wait for them.
        const n = snapshot.get(nominated);
        if (n?.pods.some((p) => p.pod.metadata.deletionTimestamp && p.priority < pod.priority)) {
          return { status: unschedulable('preemption: not eligible due to a terminating pod on the nominated node.') };
        }
      }
      const all = snapshot.nodeInfoList.length;
      const want = Math.max(minAbs, Math.floor((all * minPct) / 100));
      const statuses = new Map<string, Status>();
      const candidates: Candidate[] = [];
      const pdbs = handle.api.pdbs();
      for (const node of snapshot.nodeInfoList) {
        const s = filtered.get(node.name);
        if (s?.code === Code.UnschedulableAndUnresolvable) {
          statuses.set(node.name, unschedulable(errReasonNotHelpful));
          continue;
        }
        if (candidates.length >= want) continue;
        const r = selectVictimsOnNode(handle, state, pod, node, pdbs);
        if ('victims' in r) candidates.push(r);
        else statuses.set(node.name, r);
      }
      const best = pickCandidate(candidates);
      if (!best) return { status: unschedulable(`preemption: ${fitErrorMessage(all, statuses)}`) };
      await handle.api.setNominatedNodeName(pod, best.node);
      await Promise.all(best.victims.map((v) => handle.api.evict(v, pod, best.node)));
      return { status: { code: Code.Unschedulable, reasons: [] }, nominatedNodeName: best.node };
    },
  };
}
