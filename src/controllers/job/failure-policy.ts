// podFailurePolicy: the first rule matching a failed pod decides what its failure means.

import type { Job, Pod, PodFailurePolicyRule } from './types.ts';

export type FailureVerdict = { action: PodFailurePolicyRule['action']; message?: string };

type Terminated = { name: string; exitCode: number };

function terminatedContainers(p: Pod): Terminated[] {
  const out: Terminated[] = [];
  const all = [...((p.status?.['initContainerStatuses'] as unknown[]) ?? []), ...((p.status?.containerStatuses as unknown[]) ?? [])];
  for (const s of all as { name: string; state?: { terminated?: { exitCode?: number } } }[]) {
    const code = s.state?.terminated?.exitCode;
    if (code !== undefined && code !== 0) out.push({ name: s.name, exitCode: code });
  }
  return out;
}

/** The verdict for a failed pod, or `Count` when no rule matches. */
export function judgeFailure(job: Job, p: Pod): FailureVerdict {
  const rules = job.spec?.podFailurePolicy?.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const on = rule.onExitCodes;
    if (on) {
      const hit = terminatedContainers(p).find(
        (c) => (on.containerName === undefined || on.containerName === c.name) && on.values.includes(c.exitCode) === (on.operator === 'In'),
      );
      if (hit) {
        const ns = p.metadata.namespace ?? '';
        return {
          action: rule.action,
          message: `Container ${hit.name} for pod ${ns}/${p.metadata.name} failed with exit code ${hit.exitCode} matching ${rule.action} rule at index ${i}`,
        };
      }
    }
    for (const pc of rule.onPodConditions ?? []) {
      const want = pc.status ?? 'True';
      if (p.status?.conditions?.some((c) => c.type === pc.type && c.status === want)) {
        const ns = p.metadata.namespace ?? '';
        return { action: rule.action, message: `Pod ${ns}/${p.metadata.name} has condition ${pc.type} matching ${rule.action} rule at index ${i}` };
      }
    }
  }
  return { action: 'Count' };
}
