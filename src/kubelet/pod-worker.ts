// One pod's worker: adopts what a previous kubelet left running (see
// pod-sandbox.ts), mounts the volumes, drives the sandbox, init containers
// (in order; sidecars keep running), then the containers, restarts with
// back-off, probes, spec changes, the active deadline and graceful
// termination, and reports the resulting status. Syncs of one pod never overlap.

import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, Timer } from '../machinery/clock.ts';
import type { Client, EventRecorder } from '../client/interfaces.ts';
import type { KubeObject } from '../api/meta.ts';
import { removeContainerLogs } from './container-log-manager.ts';
import { ContainerAttempts, type Attempts, type ReadTerminationMessage } from './container-attempts.ts';
import { containerHash, containerHashAnnotation } from './container-hash.ts';
import { removePodTerminationMessages, removeTerminationMessage } from './container-config/termination-message.ts';
import type { CrashBackoff } from './crash-backoff.ts';
import { generatePodStatus, isSidecar, type ContainerView } from './pod-status.ts';
import { ProbeManager } from './probe-manager.ts';
import { PodSandboxes, type Sandbox } from './pod-sandbox.ts';
import type { SandboxContext } from './sandbox-config.ts';
import { startContainer } from './start-container.ts';
import { isStatusEcho, syncInputs } from './status-echo.ts';
import { stopContainers } from './stop-containers.ts';
import type { Prober } from './prober.ts';
import type { PodLifecycleEvent } from './pleg.ts';
import type { ContainerStatus as RuntimeContainerStatus, ImageService, Mount, RuntimeService } from './runtime/runtime.ts';
import type { ContainerSpec, Pod, PodStatus } from './types.ts';
import type { VolumeManager } from './volumes/volume-manager.ts';

export type PodWorkerDeps = {
  clock: Clock;
  runtime: RuntimeService;
  images: ImageService;
  runtimeName: string;
  prober: Prober;
  backoff: CrashBackoff;
  recorder: EventRecorder;
  nodeName: string;
  hostIP: string;
  /** How sandboxes are configured on this node (log directory, DNS). */
  sandbox: SandboxContext;
  /** For configMap/secret env; absent on hollow nodes. */
  client?: Client;
  /** The kubelet's root dir (pods/<uid>/…); absent on hollow nodes. */
  rootDir?: string;
  /** Node allocatable, for resourceFieldRef defaults. */
  allocatable?: Record<string, string | number>;
  volumes?: VolumeManager;
  /** The termination message of an exited container (its terminationMessagePath file, or its log tail); undefined keeps the runtime's. */
  readTerminationMessage?: ReadTerminationMessage;
  reportStatus(pod: Pod, status: PodStatus): Promise<void>;
  /** Deletes the pod object with gracePeriodSeconds 0 once its containers are gone. */
  deletePod(pod: Pod): Promise<void>;
  onFinished(uid: string): void;
  log(line: string): void;
};

type WorkerState = { kind: 'active' } | { kind: 'terminal' } | { kind: 'terminating' } | { kind: 'finished' };

export const volumeRetryMs = 2000;
export const deadlineExceeded = { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' } as const;
/** Under restartPolicy Never a dead sandbox is not replaced; this fails a pod whose containers had not all run. */
const sandboxGone = { reason: 'SandboxChanged', message: 'Pod sandbox died and restartPolicy is Never: its containers are not started again' } as const;

export class PodWorker {
  private pod: Pod;
  private readonly deps: PodWorkerDeps;
  private readonly probes: ProbeManager;
  private state: WorkerState = { kind: 'active' };
  private readonly sandboxes: PodSandboxes;
  private mounts = new Map<string, Mount[]>();
  private volumesUp = false;
  private removed = false;
  private syncing = false;
  private dirty = false;
  private wakeup: { at: number; timer: Timer } | undefined;
  private lastStatus: PodStatus | undefined;
  /** syncInputs of the pod as last updated, to tell the echo of our own status write (see status-echo.ts). */
  private inputs: string | undefined;
  /** What the last sync saw when it listed the pod's containers: the runtime's revision (if it has one), the running ones. */
  private seenRevision: number | undefined;
  private seenRunning = new Set<string>();
  private failure: { reason: string; message: string } | undefined;
  private readonly startRetryAt = new Map<string, number>();
  private readonly waiting = new Map<string, { reason: string; message?: string }>();
  /** Spec hash of each container this worker started, for runtimes that do not keep the annotation. */
  private readonly hashes = new Map<string, string>();
  private readonly containers: ContainerAttempts;
  /** Resolves when the worker is idle; tests await it after moving the clock. */
  idle: Promise<void> = Promise.resolve();

  constructor(pod: Pod, deps: PodWorkerDeps) {
    this.pod = pod;
    this.deps = deps;
    this.containers = new ContainerAttempts(deps.runtime, deps.readTerminationMessage);
    this.sandboxes = new PodSandboxes({ runtime: deps.runtime, context: deps.sandbox, hostIP: deps.hostIP, log: deps.log });
    this.probes = new ProbeManager({
      clock: deps.clock,
      prober: deps.prober,
      pod: () => this.pod,
      onChange: () => this.requestSync(),
      onUnhealthy: (_c, _k, message) => this.event('Warning', 'Unhealthy', message),
    });
  }

  /** Counts against the node's allocatable: admitted and not finished. */
  get active(): boolean {
    return this.state.kind === 'active';
  }

  get currentPod(): Pod {
    return this.pod;
  }

  private get sandbox(): Sandbox | undefined {
    return this.sandboxes.sandbox;
  }

  get uid(): string {
    return this.pod.metadata.uid ?? '';
  }

  update(pod: Pod): void {
    const inputs = syncInputs(pod);
    const echo = !this.syncing && isStatusEcho(pod, inputs, this.inputs, this.lastStatus);
    this.pod = pod;
    this.inputs = inputs;
    if (!echo) this.requestSync();
  }

  /** The pod object is gone from the API (force-deleted): stop everything without writing back. */
  remove(): void {
    this.removed = true;
    this.requestSync();
  }

  /**
   * A change the PLEG saw. Most are a container this worker started and saw running already: when the
   * runtime can tell that nothing at all changed since then, a sync would see and do what the last one
   * did, so it is skipped (hollow nodes save a sync per pod).
   */
  plegEvent(ev: PodLifecycleEvent): void {
    const unchanged = this.deps.runtime.revision !== undefined && this.deps.runtime.revision === this.seenRevision;
    if (unchanged && ev.type === 'ContainerStarted' && this.seenRunning.has(ev.containerId)) return;
    this.requestSync();
  }

  requestSync(): void {
    this.dirty = true;
    if (this.syncing || this.state.kind === 'finished') return;
    this.syncing = true;
    this.idle = this.loop();
  }

  private async loop(): Promise<void> {
    while (this.dirty && this.state.kind !== 'finished') {
      this.dirty = false;
      try {
        await this.sync();
      } catch (e) {
        this.deps.log(`pod ${this.key()}: sync failed, retrying in 1s: ${(e as Error).message}`);
        this.wakeAt(this.deps.clock.now() + 1000);
      }
    }
    this.syncing = false;
  }

  private key(): string {
    return `${this.pod.metadata.namespace}/${this.pod.metadata.name}`;
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.deps.recorder.event(this.pod as unknown as KubeObject, type, reason, message);
  }

  private wakeAt(at: number): void {
    if (this.wakeup && this.wakeup.at <= at) return;
    this.wakeup?.timer.cancel();
    const timer = this.deps.clock.setTimeout(() => {
      this.wakeup = undefined;
      this.requestSync();
    }, Math.max(0, at - this.deps.clock.now()));
    this.wakeup = { at, timer };
  }

  private async sync(): Promise<void> {
    // What a previous kubelet started is this worker's to run (or stop), not to start again.
    await this.sandboxes.adopt(this.pod);
    if (this.removed || this.pod.metadata.deletionTimestamp) return this.terminate();
    if (this.state.kind === 'terminal') return;
    const now = () => this.deps.clock.now();
    if (this.deadlinePassed(now())) return this.failPod(deadlineExceeded);
    if (!(await this.setUpVolumes())) return;
    if (!(await this.ensureSandbox())) return this.finish();
    const spec = this.pod.spec;
    const policy = spec.restartPolicy ?? 'Always';
    let attempts = await this.attempts();
    // Init containers run once per sandbox: a new sandbox (the old one died) runs them all again.
    const sandboxId = this.sandbox!.id;
    const inSandbox = (name: string) => attempts.get(name)?.find((a) => a.podSandboxId === sandboxId);
    const nextAttempt = (name: string) => (attempts.get(name)?.[0]?.metadata.attempt ?? -1) + 1;

    // Init containers in order: a regular one must exit 0 before the next starts, a sidecar
    // must be started. Once a regular container exists, only the sidecars are looked after.
    const initialized = spec.containers.some((c) => inSandbox(c.name));
    let initDone = true;
    for (const c of spec.initContainers ?? []) {
      const here = inSandbox(c.name);
      if (isSidecar(c)) {
        const ok = await this.keepRunning(c, here, true, nextAttempt(c.name));
        if (!ok && !initialized) {
          initDone = false;
          break;
        }
        continue;
      }
      if (initialized || (here && here.state === 'CONTAINER_EXITED' && here.exitCode === 0)) continue;
      initDone = false;
      if (!here) await this.startContainer(c, nextAttempt(c.name), true);
      else if (here.state === 'CONTAINER_EXITED' && policy !== 'Never') await this.restartIfDue(c, here, true);
      break;
    }

    if (initDone) {
      for (const c of spec.containers) {
        const latest = attempts.get(c.name)?.[0];
        if (!latest || latest.state === 'CONTAINER_RUNNING') {
          await this.keepRunning(c, latest, false, 0);
          continue;
        }
        if (latest.state !== 'CONTAINER_EXITED') continue;
        if (policy === 'Always' || (policy === 'OnFailure' && latest.exitCode !== 0)) await this.restartIfDue(c, latest, false);
      }
    }

    // Read before listing: a change while listing makes the next PLEG event sync, never the other way round.
    const revision = this.deps.runtime.revision;
    attempts = await this.attempts();
    this.seenRevision = revision;
    const running = [...(spec.initContainers ?? []), ...spec.containers].flatMap((c) => {
      const latest = attempts.get(c.name)?.[0];
      return latest?.state === 'CONTAINER_RUNNING' ? [{ containerId: latest.id, spec: c }] : [];
    });
    this.seenRunning = new Set(running.map((r) => r.containerId));
    this.probes.update(this.sandbox!.ip, running);
    const status = this.status(attempts, true, now());
    if (status.phase === 'Succeeded' || status.phase === 'Failed') return this.finish();
    this.wakeAtDeadline();
    await this.deps.reportStatus(this.pod, status);
  }

  /**
   * Starts a container that has none yet, kills a running one whose liveness or startup probe
   * gave up or whose spec changed, and (for a sidecar) restarts it after it exited.
   * Returns whether the container is now running and started.
   */
  private async keepRunning(c: ContainerSpec, latest: RuntimeContainerStatus | undefined, sidecar: boolean, attempt: number): Promise<boolean> {
    if (!latest) {
      return (await this.startContainer(c, attempt, sidecar)) && !c.startupProbe;
    }
    if (latest.state === 'CONTAINER_RUNNING') {
      const verdict = this.probes.verdict(latest.id, c);
      const have = latest.annotations[containerHashAnnotation] ?? this.hashes.get(latest.id);
      const changed = have !== undefined && have !== containerHash(c);
      if (!verdict.kill && !changed) return verdict.started;
      this.event('Normal', 'Killing', verdict.kill ?? `Container ${c.name} definition changed, will be restarted`);
      await this.deps.runtime.stopContainer(latest.id, this.graceSeconds(verdict.kill ? c.livenessProbe?.terminationGracePeriodSeconds : undefined));
      const exited = await this.deps.runtime.containerStatus(latest.id);
      // A new definition starts at once; a crash waits out its back-off.
      if (changed) return (await this.startContainer(c, exited.metadata.attempt + 1, sidecar)) && !c.startupProbe;
      const policy = sidecar ? 'Always' : (this.pod.spec.restartPolicy ?? 'Always');
      if (policy === 'Never' || (policy === 'OnFailure' && exited.exitCode === 0)) return false;
      return this.restartIfDue(c, exited, sidecar);
    }
    if (sidecar && latest.state === 'CONTAINER_EXITED') return this.restartIfDue(c, latest, true);
    return false;
  }

  /** Fails the pod for good: every container stopped, status Failed with the reason. */
  private async failPod(failure: { reason: string; message: string }): Promise<void> {
    this.failure = failure;
    this.event('Normal', failure.reason, failure.message);
    await this.stopContainers(this.graceSeconds());
    return this.finish();
  }

  /** Done for good: stop probing, sidecars and the sandbox, release volumes, keep reporting the last status. */
  private async finish(): Promise<void> {
    this.state = { kind: 'terminal' };
    this.wakeup?.timer.cancel();
    this.probes.stop();
    if (this.sandbox) {
      await this.stopContainers(this.graceSeconds());
      await this.sandboxes.stop();
    }
    await this.tearDownVolumes();
    await this.deps.reportStatus(this.pod, this.status(await this.attempts(), false, this.deps.clock.now()));
  }

  private startTime(): number | undefined {
    const t = this.lastStatus?.startTime ?? this.pod.status?.startTime;
    return t ? Date.parse(t) : undefined;
  }

  private deadlinePassed(now: number): boolean {
    const secs = this.pod.spec.activeDeadlineSeconds;
    const start = this.startTime();
    return secs !== undefined && start !== undefined && now - start >= secs * 1000;
  }

  private wakeAtDeadline(): void {
    const secs = this.pod.spec.activeDeadlineSeconds;
    const start = this.startTime();
    if (secs !== undefined && start !== undefined) this.wakeAt(start + secs * 1000);
  }

  /** Mounts the pod's volumes (idempotent); false while they cannot be, with FailedMount and a retry. */
  private async setUpVolumes(): Promise<boolean> {
    if (!this.deps.volumes) return true;
    try {
      this.mounts = await this.deps.volumes.setUp(this.pod);
      this.volumesUp = true;
      return true;
    } catch (e) {
      this.event('Warning', 'FailedMount', (e as Error).message);
      this.wakeAt(this.deps.clock.now() + volumeRetryMs);
      await this.deps.reportStatus(this.pod, this.status(await this.attempts(), this.sandbox !== undefined, this.deps.clock.now()));
      return false;
    }
  }

  private async tearDownVolumes(): Promise<void> {
    if (!this.deps.volumes || !this.volumesUp) return;
    try {
      await this.deps.volumes.tearDown(this.pod);
      this.volumesUp = false;
    } catch (e) {
      this.deps.log(`pod ${this.key()}: volume tear-down failed: ${(e as Error).message}`);
    }
  }

  private status(attempts: Attempts, sandboxReady: boolean, now: number): PodStatus {
    const view = (c: ContainerSpec, init: boolean): ContainerView => {
      const list = attempts.get(c.name) ?? [];
      let v = list[0] ? this.probes.verdict(list[0].id, c) : { ready: false, started: false };
      // A regular init container is ready once it has completed.
      if (init && !isSidecar(c)) v = { ready: list[0]?.state === 'CONTAINER_EXITED' && list[0].exitCode === 0, started: list[0]?.state === 'CONTAINER_RUNNING' };
      const waiting = this.waiting.get(c.name);
      return { spec: c, attempts: list, ready: v.ready, started: v.started, ...(waiting ? { waiting } : {}) };
    };
    // Transition times and startTime come from what we last reported, which the watch may not show yet;
    // conditions others own come from the API's view.
    const pod = this.lastStatus ? { ...this.pod, status: this.lastStatus } : this.pod;
    const status = generatePodStatus({
      pod,
      now,
      runtimeName: this.deps.runtimeName,
      hostIP: this.deps.hostIP,
      ...(this.sandbox ? { podIP: this.sandbox.ip } : {}),
      sandboxReady,
      init: (this.pod.spec.initContainers ?? []).map((c) => view(c, true)),
      containers: this.pod.spec.containers.map((c) => view(c, false)),
      apiConditions: this.pod.status?.conditions ?? [],
      ...(this.failure ? { failure: this.failure } : {}),
    });
    this.lastStatus = status;
    return status;
  }

  /** Back-off is per container definition: a new spec starts over. */
  private backoffKey(c: ContainerSpec): string {
    return `${this.uid}/${c.name}/${containerHash(c)}`;
  }

  /** Restarts an exited container now, or marks it CrashLoopBackOff and wakes up when the back-off ends. */
  private async restartIfDue(c: ContainerSpec, exited: RuntimeContainerStatus, init: boolean): Promise<boolean> {
    const key = this.backoffKey(c);
    const finishedAt = exited.finishedAt / 1e6;
    const now = this.deps.clock.now();
    if (this.deps.backoff.inBackoffSince(key, finishedAt, now)) {
      const delay = this.deps.backoff.delay(key);
      const message = `back-off ${Math.round(delay / 1000)}s restarting failed container=${c.name} pod=${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.uid})`;
      if (this.waiting.get(c.name)?.reason !== 'CrashLoopBackOff') this.event('Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.uid})`);
      this.waiting.set(c.name, { reason: 'CrashLoopBackOff', message });
      this.wakeAt(this.deps.backoff.retryAt(key, finishedAt));
      return false;
    }
    this.deps.backoff.next(key, now);
    const started = await this.startContainer(c, exited.metadata.attempt + 1, init);
    // Older dead attempts are garbage: keep only the one lastState reports.
    const old = (await this.attempts()).get(c.name)?.slice(2) ?? [];
    for (const o of old) {
      await this.deps.runtime.removeContainer(o.id);
      await removeContainerLogs(o.logPath);
      await removeTerminationMessage(o);
      this.hashes.delete(o.id);
      this.containers.forget(o.id);
    }
    if (old.length > 0) await this.sandboxes.pruneEmpty(this.pod);
    return started && !c.startupProbe;
  }

  /**
   * A ready sandbox: the first one, or a new attempt when it died under us (its containers are killed and
   * start again in the new one, init containers first). Under restartPolicy Never a pod whose containers
   * have run gets no new sandbox: its containers are stopped and it is done (false), as the kubelet does.
   */
  private async ensureSandbox(): Promise<boolean> {
    if (!this.sandbox) {
      await this.sandboxes.create(this.pod);
      return true;
    }
    if (await this.sandboxes.ready()) return true;
    const again = (this.pod.spec.restartPolicy ?? 'Always') !== 'Never' || (await this.attempts()).size === 0;
    this.event('Normal', 'SandboxChanged', again ? 'Pod sandbox changed, it will be killed and re-created.' : 'Pod sandbox changed, it will be killed.');
    await this.stopContainers(this.graceSeconds());
    await this.sandboxes.stop();
    if (!again) {
      const st = this.status(await this.attempts(), false, this.deps.clock.now());
      if (st.phase !== 'Failed' && st.phase !== 'Succeeded') this.failure = sandboxGone;
      return false;
    }
    await this.sandboxes.create(this.pod);
    return true;
  }

  /** Creates and starts one container; false when it could not be (waiting reason set, retry scheduled). */
  private async startContainer(c: ContainerSpec, attempt: number, init: boolean): Promise<boolean> {
    if ((this.startRetryAt.get(c.name) ?? 0) > this.deps.clock.now()) return false;
    const d = this.deps;
    const deps = {
      runtime: d.runtime,
      images: d.images,
      clock: d.clock,
      event: (t: 'Normal' | 'Warning', r: string, m: string) => this.event(t, r, m),
      nodeName: d.nodeName,
      hostIP: d.hostIP,
      ...(d.client ? { client: d.client } : {}),
      ...(d.rootDir !== undefined ? { rootDir: d.rootDir } : {}),
      ...(d.allocatable ? { allocatable: d.allocatable } : {}),
    };
    // A sidecar runs like a regular container (the fake runtime runs `init` ones to completion).
    const r = await startContainer(deps, this.pod, this.sandbox!, c, attempt, init && !isSidecar(c), { mounts: this.mounts.get(c.name) ?? [] });
    const retryKey = `${this.uid}/${c.name}/start`;
    if (r.kind === 'started') {
      this.hashes.set(r.containerId, containerHash(c));
      this.waiting.delete(c.name);
      this.startRetryAt.delete(c.name);
      this.deps.backoff.forgetPrefix(retryKey);
      return true;
    }
    // Pull and config failures retry with the same back-off as crashes: ErrImagePull, then ImagePullBackOff.
    const now = this.deps.clock.now();
    if (r.kind === 'pullFailed') this.waiting.set(c.name, { reason: this.deps.backoff.delay(retryKey) > 0 ? 'ImagePullBackOff' : 'ErrImagePull', message: r.message });
    else {
      this.waiting.set(c.name, { reason: r.reason, message: r.message });
      this.event('Warning', 'Failed', `Error: ${r.message}`);
    }
    this.deps.backoff.next(retryKey, now);
    const at = now + this.deps.backoff.delay(retryKey);
    this.startRetryAt.set(c.name, at);
    this.wakeAt(at);
    return false;
  }

  /** Runtime containers of this pod by container name, newest attempt first. */
  private async attempts(): Promise<Attempts> {
    return this.sandbox ? this.containers.list(this.pod) : new Map();
  }

  private graceSeconds(override?: number): number {
    return override ?? this.pod.metadata.deletionGracePeriodSeconds ?? this.pod.spec.terminationGracePeriodSeconds ?? 30;
  }

  /** preStop, SIGTERM, the grace period, kill; then the final status and the pod's deletion. */
  private async terminate(): Promise<void> {
    if (this.state.kind === 'finished') return;
    const wasTerminal = this.state.kind === 'terminal';
    this.state = { kind: 'terminating' };
    this.wakeup?.timer.cancel();
    this.probes.stop();
    if (!wasTerminal) await this.stopContainers(this.graceSeconds());
    await this.sandboxes.stop();
    await this.tearDownVolumes();
    if (!this.removed) {
      const final = await this.attempts();
      await this.deps.reportStatus(this.pod, this.status(final, false, this.deps.clock.now()));
      await this.deps.deletePod(this.pod);
    }
    await this.sandboxes.removeAll(this.pod);
    if (this.deps.rootDir !== undefined) {
      await removePodTerminationMessages(this.deps.rootDir, this.uid);
      // The volumes went first: pods/<uid> is empty now unless something still holds it.
      await rmdir(join(this.deps.rootDir, 'pods', this.uid)).catch(() => undefined);
    }
    this.deps.backoff.forgetPrefix(`${this.uid}/`);
    this.state = { kind: 'finished' };
    this.deps.onFinished(this.uid);
  }

  private async stopContainers(grace: number): Promise<void> {
    const deps = { clock: this.deps.clock, runtime: this.deps.runtime, prober: this.deps.prober, event: this.event.bind(this) };
    await stopContainers(deps, this.pod, this.sandbox?.ip ?? '', await this.attempts(), grace);
  }
}
