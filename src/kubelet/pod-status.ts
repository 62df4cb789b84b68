// Pod status as the kubelet reports it, computed from what the runtime says
// about each container, the probe results and the worker's back-off state.

import { rfc3339 } from '../machinery/clock.ts';
import type { ContainerStatus as RuntimeContainerStatus } from './runtime/runtime.ts';
import type { ContainerSpec, ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from './types.ts';

/** What the worker knows about one container of the pod. */
export type ContainerView = {
  spec: ContainerSpec;
  /** Runtime containers of this name, newest attempt first. */
  attempts: RuntimeContainerStatus[];
  /** Set while a restart waits out its back-off (CrashLoopBackOff) or the image is being fetched. */
  waiting?: { reason: string; message?: string };
  ready: boolean;
  started: boolean;
};

export type PodStatusInput = {
  pod: Pod;
  now: number;
  runtimeName: string;
  hostIP: string;
  podIP?: string;
  sandboxReady: boolean;
  init: ContainerView[];
  containers: ContainerView[];
  /** Conditions as the API has them: the ones the kubelet does not own (readiness gates, DisruptionTarget, …) are kept. */
  apiConditions?: PodCondition[];
  /** Set when the kubelet failed the pod itself (activeDeadlineSeconds). */
  failure?: { reason: string; message: string };
};

/** Condition types the kubelet writes; every other one belongs to someone else and is kept as it is. */
export const kubeletConditions: ReadonlySet<string> = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

/** An init container with restartPolicy Always: a sidecar that keeps running beside the containers. */
export function isSidecar(c: ContainerSpec): boolean {
  return c.restartPolicy === 'Always';
}

/** Whether an init container no longer holds back the next one: completed, or (a sidecar) running and started. */
function initSatisfied(v: ContainerView): boolean {
  if (isSidecar(v.spec)) return v.attempts[0]?.state === 'CONTAINER_RUNNING' && v.started;
  return exitedOk(v.attempts[0]);
}

const nsToRfc = (ns: number) => rfc3339(Math.floor(ns / 1e6));

export function generatePodStatus(input: PodStatusInput): PodStatus {
  const { pod } = input;
  const old = pod.status ?? {};
  // Once a regular container exists the pod was initialized, whatever its sidecars do since.
  const initDone = input.containers.some((v) => v.attempts.length > 0) || input.init.every(initSatisfied);
  const initStatuses = input.init.map((v) => containerStatus(v, input.runtimeName, 'PodInitializing', true));
  const statuses = input.containers.map((v) => containerStatus(v, input.runtimeName, initDone ? 'ContainerCreating' : 'PodInitializing', false));
  const phase = input.failure ? 'Failed' : podPhase(pod, input.init, input.containers, initDone);
  const completed = phase === 'Succeeded' || phase === 'Failed';

  const conds: PodCondition[] = [];
  const cond = (type: string, ok: boolean, reason?: string, message?: string) => {
    const c: PodCondition = { type, status: ok ? 'True' : 'False', lastProbeTime: null };
    if (reason) c.reason = reason;
    if (message) c.message = message;
    conds.push(c);
  };
  cond('PodReadyToStartContainers', input.sandboxReady && !completed);
  const incomplete = initDone ? [] : input.init.filter((v) => !initSatisfied(v)).map((v) => v.spec.name);
  if (completed) cond('Initialized', true, 'PodCompleted');
  else if (incomplete.length === 0) cond('Initialized', true);
  else cond('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`);
  // Sidecars count for readiness like containers do.
  const sidecarStatuses = initStatuses.filter((_s, i) => isSidecar(input.init[i]!.spec));
  const unready = [...sidecarStatuses, ...statuses].filter((s) => !s.ready).map((s) => s.name);
  const apiConditions = input.apiConditions ?? old.conditions ?? [];
  const gates = readinessGateProblems(pod, apiConditions);
  if (completed) cond('ContainersReady', false, 'PodCompleted');
  else if (unready.length === 0) cond('ContainersReady', true);
  else cond('ContainersReady', false, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`);
  if (completed) cond('Ready', false, 'PodCompleted');
  else if (unready.length > 0) cond('Ready', false, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`);
  else if (gates.length > 0) cond('Ready', false, 'ReadinessGatesNotReady', gates.join(', '));
  else cond('Ready', true);
  // A pod on a node is scheduled: the kubelet reports PodScheduled True itself, keeping the time it
  // became so (it used to push the API's own condition object, which the loop below then changed).
  cond('PodScheduled', true);
  const nowText = rfc3339(input.now);
  for (const c of conds) {
    const prev = old.conditions?.find((o) => o.type === c.type);
    c.lastTransitionTime = prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : nowText;
  }
  for (const c of apiConditions) if (!kubeletConditions.has(c.type)) conds.push(c);

  const status: PodStatus = { phase, conditions: conds };
  if (input.failure) {
    status.reason = input.failure.reason;
    status.message = input.failure.message;
  }
  status.hostIP = input.hostIP;
  status.hostIPs = [{ ip: input.hostIP }];
  const podIP = input.podIP ?? old.podIP;
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  status.startTime = old.startTime ?? nowText;
  if (initStatuses.length > 0) status.initContainerStatuses = initStatuses;
  status.containerStatuses = statuses;
  status.qosClass = old.qosClass ?? qosClass(pod);
  return status;
}

/** Why the readiness gates keep the pod unready, in Kubernetes' words; empty when they all pass. */
function readinessGateProblems(pod: Pod, conditions: PodCondition[]): string[] {
  const out: string[] = [];
  for (const g of pod.spec.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === g.conditionType);
    if (!c) out.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') out.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  return out;
}

function exitedOk(c: RuntimeContainerStatus | undefined): boolean {
  return c !== undefined && c.state === 'CONTAINER_EXITED' && c.exitCode === 0;
}

function terminated(c: RuntimeContainerStatus, runtimeName: string): ContainerState {
  return {
    terminated: {
      exitCode: c.exitCode,
      reason: c.reason || (c.exitCode === 0 ? 'Completed' : 'Error'),
      ...(c.message ? { message: c.message } : {}),
      startedAt: nsToRfc(c.startedAt || c.createdAt),
      finishedAt: nsToRfc(c.finishedAt),
      containerID: `${runtimeName}://${c.id}`,
    },
  };
}

function containerStatus(v: ContainerView, runtimeName: string, defaultWaiting: string, init: boolean): ContainerStatus {
  const [latest, previous] = v.attempts;
  const base = { name: v.spec.name, image: v.spec.image ?? '', imageID: latest?.imageRef ?? '' };
  if (!latest) {
    const waiting = v.waiting ?? { reason: defaultWaiting };
    return { ...base, state: { waiting }, lastState: {}, ready: false, restartCount: 0, started: false };
  }
  const restartCount = latest.metadata.attempt;
  const containerID = `${runtimeName}://${latest.id}`;
  let state: ContainerState;
  let lastState: ContainerState = previous && previous.state === 'CONTAINER_EXITED' ? terminated(previous, runtimeName) : {};
  if (latest.state === 'CONTAINER_RUNNING') state = { running: { startedAt: nsToRfc(latest.startedAt) } };
  else if (latest.state === 'CONTAINER_EXITED' && v.waiting) {
    state = { waiting: v.waiting };
    lastState = terminated(latest, runtimeName);
  } else if (latest.state === 'CONTAINER_EXITED') state = terminated(latest, runtimeName);
  else state = { waiting: { reason: v.waiting?.reason ?? 'ContainerCreating' } };
  const running = latest.state === 'CONTAINER_RUNNING';
  // An init container counts as ready once it completed; a regular one or a sidecar only while running.
  const ready = v.ready && (running || (init && !isSidecar(v.spec) && exitedOk(latest)));
  return { ...base, containerID, state, lastState, ready, restartCount, started: running && v.started };
}

/** Pending until every container has started once; then Running until all stopped for good. */
function podPhase(pod: Pod, init: ContainerView[], containers: ContainerView[], initDone: boolean): NonNullable<PodStatus['phase']> {
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (!initDone) {
    const failed = init.some((v) => !isSidecar(v.spec) && v.attempts[0]?.state === 'CONTAINER_EXITED' && v.attempts[0].exitCode !== 0);
    return failed && policy === 'Never' ? 'Failed' : 'Pending';
  }
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  let waiting = 0;
  for (const v of containers) {
    const c = v.attempts[0];
    if (!c || c.state === 'CONTAINER_CREATED' || c.state === 'CONTAINER_UNKNOWN') waiting++;
    else if (c.state === 'CONTAINER_RUNNING') running++;
    else {
      stopped++;
      if (c.exitCode === 0) succeeded++;
    }
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  if (policy === 'Always') return 'Running';
  if (policy === 'OnFailure') return succeeded === stopped ? 'Succeeded' : 'Running';
  return succeeded === stopped ? 'Succeeded' : 'Failed';
}

/** Guaranteed when every container limits cpu and memory and requests equal limits; BestEffort when none asks. */
export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const all = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])];
  let any = false;
  let guaranteed = all.length > 0;
  for (const c of all) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      const l = lim[r];
      if (l === undefined || String(req[r] ?? l) !== String(l)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
