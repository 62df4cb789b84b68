// The Pod table: READY, the STATUS reason (init progress, waiting/terminated
// reasons, Terminating), RESTARTS with the time of the last one, and the wide columns.

import type { KubeObject } from '../meta.ts';
import type { Printer } from '../printers.ts';
import { translateTimestampSince } from '../../machinery/duration.ts';
import { age, ageColumn, arr, column, int, nameColumn, nameOf, rec, spec, status, str, type Obj } from './common.ts';

export const podColumns = [
  nameColumn(),
  column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageColumn(),
  column('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 'string', 1),
  column('Node', 'NodeName indicates in which node this pod is scheduled.', 'string', 1),
  column('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', 'string', 1),
  column('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 'string', 1),
];

const nodeUnreachablePodReason = 'NodeLost';

function finishedAt(cs: Obj): number {
  const t = Date.parse(str(rec(rec(cs.lastState).terminated).finishedAt));
  return Number.isNaN(t) ? 0 : t;
}

function hasCondition(conditions: Obj[], type: string): boolean {
  return conditions.some((c) => c.type === type && c.status === 'True');
}

function terminatedReason(t: Obj, prefix: string): string {
  if (str(t.reason)) return `${prefix}${str(t.reason)}`;
  return int(t.signal) !== 0 ? `${prefix}Signal:${int(t.signal)}` : `${prefix}ExitCode:${int(t.exitCode)}`;
}

export type PodSummary = { ready: string; reason: string; restarts: string };

/** READY, STATUS and RESTARTS of a pod as `kubectl get pods` shows them. */
export function summarizePod(pod: KubeObject, now: number): PodSummary {
  const sp = spec(pod);
  const st = status(pod);
  const conditions = arr(st.conditions);
  const phase = str(st.phase);
  let reason = str(st.reason) || phase;
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const initSpecs = arr(sp.initContainers);
  const restartable = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => str(c.name)));
  let total = arr(sp.containers).length + restartable.size;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;

  let initializing = false;
  const initStatuses = arr(st.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i] as Obj;
    const state = rec(cs.state);
    const isSidecar = restartable.has(str(cs.name));
    restarts += int(cs.restartCount);
    lastRestart = Math.max(lastRestart, finishedAt(cs));
    if (isSidecar) {
      sidecarRestarts += int(cs.restartCount);
      lastSidecarRestart = Math.max(lastSidecarRestart, finishedAt(cs));
    }
    const terminated = state.terminated === undefined || state.terminated === null ? undefined : rec(state.terminated);
    const waiting = state.waiting === undefined || state.waiting === null ? undefined : rec(state.waiting);
    if (terminated && int(terminated.exitCode) === 0) continue;
    if (isSidecar && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated) reason = terminatedReason(terminated, 'Init:');
    else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') reason = `Init:${str(waiting.reason)}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = arr(st.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i] as Obj;
      const state = rec(cs.state);
      restarts += int(cs.restartCount);
      lastRestart = Math.max(lastRestart, finishedAt(cs));
      const waiting = rec(state.waiting);
      const hasTerminated = state.terminated !== undefined && state.terminated !== null;
      if (str(waiting.reason)) reason = str(waiting.reason);
      else if (hasTerminated) reason = terminatedReason(rec(state.terminated), '');
      else if (cs.ready === true && state.running !== undefined && state.running !== null) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose last container completed while another still runs is not done.
    if (reason === 'Completed' && hasRunning) reason = hasCondition(conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && st.reason === nodeUnreachablePodReason) reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsText =
    restarts !== 0 && lastRestart !== 0
      ? `${restarts} (${translateTimestampSince(new Date(lastRestart).toISOString(), now)} ago)`
      : String(restarts);
  total = Math.max(total, 0);
  return { ready: `${ready}/${total}`, reason, restarts: restartsText };
}

function readinessGates(pod: KubeObject): string {
  const gates = arr(spec(pod).readinessGates);
  if (gates.length === 0) return '<none>';
  const conditions = arr(status(pod).conditions);
  let passing = 0;
  for (const g of gates) {
    const c = conditions.find((x) => x.type === g.conditionType);
    if (c?.status === 'True') passing++;
  }
  return `${passing}/${gates.length}`;
}

export const podPrinter: Printer = {
  columns: podColumns,
  cells(pod, now) {
    const s = summarizePod(pod, now);
    const st = status(pod);
    const ip = str(rec(arr(st.podIPs)[0]).ip) || str(st.podIP) || '<none>';
    return [
      nameOf(pod),
      s.ready,
      s.reason,
      s.restarts,
      age(pod, now),
      ip,
      str(spec(pod).nodeName) || '<none>',
      str(st.nominatedNodeName) || '<none>',
      readinessGates(pod),
    ];
  },
};
