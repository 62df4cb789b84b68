// Which runtime container a logs/exec/attach request means: from the pod's
// status (containerID, lastState) as the kubelet does, falling back to the
// runtime's own list (newest attempt first) before the status is written.

import { runtimeLabels, type Container, type RuntimeService } from '../runtime/runtime.ts';
import type { ContainerStatus, Pod } from '../types.ts';

export type Lookup = { kind: 'found'; containerId: string } | { kind: 'error'; code: number; reason: string; message: string };

function fail(code: number, message: string): Lookup {
  return { kind: 'error', code, reason: code === 404 ? 'NotFound' : 'BadRequest', message };
}

function bareId(containerID: string | undefined): string {
  if (!containerID) return '';
  const i = containerID.indexOf('://');
  return i < 0 ? containerID : containerID.slice(i + 3);
}

function statusOf(pod: Pod, name: string): ContainerStatus | undefined {
  const s = pod.status;
  return [...(s?.containerStatuses ?? []), ...(s?.initContainerStatuses ?? [])].find((c) => c.name === name);
}

function declared(pod: Pod, name: string): boolean {
  return [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].some((c) => c.name === name);
}

/** The pod's runtime containers called `name`, newest attempt first. */
export async function runtimeAttempts(runtime: RuntimeService, pod: Pod, name: string): Promise<Container[]> {
  const list = await runtime.listContainers({ labelSelector: { [runtimeLabels.podUid]: pod.metadata.uid ?? '', [runtimeLabels.containerName]: name } });
  return list.sort((a, b) => b.metadata.attempt - a.metadata.attempt);
}

/** The container whose log `kubectl logs [--previous]` shows. */
export async function findLogContainer(runtime: RuntimeService, pod: Pod, name: string, previous: boolean): Promise<Lookup> {
  const podName = pod.metadata.name ?? '';
  if (!declared(pod, name)) return fail(400, `container ${name} is not valid for pod ${podName}`);
  const cs = statusOf(pod, name);
  if (!cs) {
    const attempts = await runtimeAttempts(runtime, pod, name);
    const pick = previous ? attempts[1] : attempts[0];
    if (pick) return { kind: 'found', containerId: pick.id };
    if (previous) return fail(400, `previous terminated container "${name}" in pod "${podName}" not found`);
    return fail(400, `container "${name}" in pod "${podName}" is waiting to start - no logs yet`);
  }
  const last = cs.lastState?.terminated;
  const state = cs.state ?? {};
  if (previous) {
    if (!last?.containerID) return fail(400, `previous terminated container "${name}" in pod "${podName}" not found`);
    return { kind: 'found', containerId: bareId(last.containerID) };
  }
  if (state.running) return { kind: 'found', containerId: bareId(cs.containerID) };
  if (state.terminated) {
    // The next attempt may not have started: its terminated state has no ID yet.
    const id = bareId(state.terminated.containerID ?? cs.containerID) || bareId(last?.containerID);
    if (id) return { kind: 'found', containerId: id };
    return fail(400, `container "${name}" in pod "${podName}" is terminated`);
  }
  if (last) {
    const id = bareId(last.containerID);
    if (id) return { kind: 'found', containerId: id };
    return fail(400, `container "${name}" in pod "${podName}" is terminated`);
  }
  if (state.waiting) {
    const reason = state.waiting.reason ?? '';
    const why = reason === 'ErrImagePull' ? "image can't be pulled" : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
    return fail(400, `container "${name}" in pod "${podName}" is waiting to start: ${why}`);
  }
  return fail(400, `container "${name}" in pod "${podName}" is waiting to start - no logs yet`);
}

/** The running container exec/attach talks to. */
export async function findRunningContainer(runtime: RuntimeService, pod: Pod, name: string): Promise<Lookup> {
  if (!declared(pod, name)) return fail(404, `container not found ("${name}")`);
  const attempts = await runtimeAttempts(runtime, pod, name);
  const running = attempts.find((c) => c.state === 'CONTAINER_RUNNING');
  if (running) return { kind: 'found', containerId: running.id };
  const cs = statusOf(pod, name);
  const waiting = cs?.state?.waiting?.reason;
  if (waiting) return fail(400, `container "${name}" in pod "${pod.metadata.name ?? ''}" is waiting to start: ${waiting}`);
  return fail(404, `container not found ("${name}")`);
}
