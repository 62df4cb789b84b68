// For one node: the fewest, lowest-priority pods whose removal lets the preemptor fit,
// reprieving pods (highest priority first, PDB-protected ones before the rest) that can stay.

import type { CycleState, Handle } from '../../framework/interface.ts';
import type { NodeInfo, PodInfo } from '../../framework/node-info.ts';
import { Code, unschedulable, type Status } from '../../framework/status.ts';

export const errReasonNoVictims = 'No preemption victims found for incoming pod';
export const errReasonNotHelpful = 'Preemption is not helpful for scheduling';

export type Candidate = { node: string; victims: PodInfo[]; pdbViolations: number };

type Pdb = { namespace: string; matches(pod: PodInfo): boolean; allowed: number };

const startOf = (p: PodInfo) => p.pod.metadata.creationTimestamp ?? '';

/** Victims that would break a budget (budgets consumed in order), and the rest. */
function splitByPdb(victims: PodInfo[], pdbs: readonly Pdb[]): { violating: PodInfo[]; fine: PodInfo[] } {
  const left = pdbs.map((b) => b.allowed);
  const violating: PodInfo[] = [];
  const fine: PodInfo[] = [];
  for (const v of victims) {
    let violates = false;
    pdbs.forEach((b, i) => {
      if (b.namespace !== (v.pod.metadata.namespace ?? 'default') || !b.matches(v)) return;
      left[i]!--;
      if (left[i]! < 0) violates = true;
    });
    (violates ? violating : fine).push(v);
  }
  return { violating, fine };
}

export function selectVictimsOnNode(handle: Handle, state: CycleState, pod: PodInfo, original: NodeInfo, pdbs: readonly Pdb[]): Candidate | Status {
  const node = original.clone();
  const st = handle.cloneState(state);
  const potential: PodInfo[] = [];
  for (const p of original.pods) {
    if (p.priority < pod.priority) {
      potential.push(p);
      node.removePod(p.key);
      handle.runRemovePod(st, pod, p, node);
    }
  }
  if (potential.length === 0) return unschedulable(errReasonNoVictims);
  const fits = handle.runFilters(st, pod, node);
  if (fits !== null && fits.code !== Code.Success) return fits;
  potential.sort((a, b) => b.priority - a.priority || (startOf(a) < startOf(b) ? -1 : 1));
  const { violating, fine } = splitByPdb(potential, pdbs);
  const victims: PodInfo[] = [];
  let pdbViolations = 0;
  const reprieve = (p: PodInfo): boolean => {
    node.addPod(p);
    handle.runAddPod(st, pod, p, node);
    const s = handle.runFilters(st, pod, node);
    if (s === null || s.code === Code.Success) return true;
    node.removePod(p.key);
    handle.runRemovePod(st, pod, p, node);
    victims.push(p);
    return false;
  };
  for (const p of violating) if (!reprieve(p)) pdbViolations++;
  for (const p of fine) reprieve(p);
  if (victims.length === 0) return unschedulable(errReasonNoVictims);
  return { node: original.name, victims, pdbViolations };
}

/** Fewest PDB violations, then the lowest top victim priority, the lowest sum, the fewest victims. */
export function pickCandidate(cands: readonly Candidate[]): Candidate | undefined {
  const top = (c: Candidate) => Math.max(...c.victims.map((v) => v.priority));
  const sum = (c: Candidate) => c.victims.reduce((s, v) => s + v.priority, 0);
  return [...cands].sort(
    (a, b) => a.pdbViolations - b.pdbViolations || top(a) - top(b) || sum(a) - sum(b) || a.victims.length - b.victims.length || (a.node < b.node ? -1 : 1),
  )[0];
}
