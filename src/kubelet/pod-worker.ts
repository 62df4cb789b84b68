// One pod's worker: drives the sandbox, init containers (in order), then the
// containers, restarts with back-off, probes and graceful termination, and
// reports the resulting status. Syncs of one pod never overlap.

import type { Clock, Timer } from '../machinery/clock.ts';
import type { EventRecorder } from '../client/interfaces.ts';
import type { KubeObject } from '../api/meta.ts';
import type { CrashBackoff } from './crash-backoff.ts';
import { generatePodStatus, type ContainerView } from './pod-status.ts';
import { ProbeManager } from './probe-manager.ts';
import { startContainer } from './start-container.ts';
import type { Prober } from './prober.ts';
import { runtimeLabels, type ContainerStatus as RuntimeContainerStatus, type ImageService, type PodSandboxConfig, type RuntimeService } from './runtime/runtime.ts';
import type { ContainerSpec, Pod, PodStatus } from './types.ts';

export type PodWorkerDeps = {
  clock: Clock;
  runtime: RuntimeService;
  images: ImageService;
  runtimeName: string;
  prober: Prober;
  backoff: CrashBackoff;
  recorder: EventRecorder;
  hostIP: string;
  reportStatus(pod: Pod, status: PodStatus): Promise<void>;
  /** Deletes the pod object with gracePeriodSeconds 0 once its containers are gone. */
  deletePod(pod: Pod): Promise<void>;
  onFinished(uid: string): void;
  log(line: string): void;
};

type WorkerState = { kind: 'active' } | { kind: 'terminal' } | { kind: 'terminating' } | { kind: 'finished' };

export class PodWorker {
  private pod: Pod;
  private readonly deps: PodWorkerDeps;
  private readonly probes: ProbeManager;
  private state: WorkerState = { kind: 'active' };
  private sandbox: { id: string; ip: string; config: PodSandboxConfig } | undefined;
  private removed = false;
  private syncing = false;
  private dirty = false;
  private wakeup: { at: number; timer: Timer } | undefined;
  private lastStatus: PodStatus | undefined;
  private readonly pullRetryAt = new Map<string, number>();
  private readonly waiting = new Map<string, { reason: string; message?: string }>();
  /** Resolves when the worker is idle; tests await it after moving the clock. */
  idle: Promise<void> = Promise.resolve();

  constructor(pod: Pod, deps: PodWorkerDeps) {
    this.pod = pod;
    this.deps = deps;
    this.probes = new ProbeManager({
      clock: deps.clock,
      prober: deps.prober,
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

  get uid(): string {
    return this.pod.metadata.uid ?? '';
  }

  update(pod: Pod): void {
    this.pod = pod;
    this.requestSync();
  }

  /** The pod object is gone from the API (force-deleted): stop everything without writing back. */
  remove(): void {
    this.removed = true;
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
    if (this.removed || this.pod.metadata.deletionTimestamp) return this.terminate();
    if (this.state.kind === 'terminal') return;
    if (!this.sandbox) await this.createSandbox();
    const sandbox = this.sandbox!;
    let attempts = await this.attempts();
    const spec = this.pod.spec;
    const policy = spec.restartPolicy ?? 'Always';
    const now = () => this.deps.clock.now();

    // Init containers, one at a time: each must exit 0 before the next starts.
    let initDone = true;
    for (const c of spec.initContainers ?? []) {
      const latest = attempts.get(c.name)?.[0];
      if (latest && latest.state === 'CONTAINER_EXITED' && latest.exitCode === 0) continue;
      initDone = false;
      if (!latest) await this.startContainer(c, 0, true);
      else if (latest.state === 'CONTAINER_EXITED' && policy !== 'Never') await this.restartIfDue(c, latest, true);
      break;
    }

    if (initDone) {
      for (const c of spec.containers) {
        const latest = attempts.get(c.name)?.[0];
        if (!latest) {
          await this.startContainer(c, 0, false);
          continue;
        }
        if (latest.state === 'CONTAINER_RUNNING') {
          const kill = this.probes.verdict(latest.id, c).kill;
          if (!kill) continue;
          this.event('Normal', 'Killing', kill);
          await this.deps.runtime.stopContainer(latest.id, this.graceSeconds(c.livenessProbe?.terminationGracePeriodSeconds));
          attempts = await this.attempts();
        }
        const exited = attempts.get(c.name)?.[0];
        if (!exited || exited.state !== 'CONTAINER_EXITED') continue;
        if (policy === 'Always' || (policy === 'OnFailure' && exited.exitCode !== 0)) await this.restartIfDue(c, exited, false);
      }
    }

    attempts = await this.attempts();
    const running = [...(spec.initContainers ?? []), ...spec.containers].flatMap((c) => {
      const latest = attempts.get(c.name)?.[0];
      return latest?.state === 'CONTAINER_RUNNING' ? [{ containerId: latest.id, spec: c }] : [];
    });
    this.probes.update(this.pod, sandbox.ip, running);
    const status = this.status(attempts, true, now());
    if (status.phase === 'Succeeded' || status.phase === 'Failed') {
      // Done for good: stop probing and release the sandbox, keep reporting the last status.
      this.state = { kind: 'terminal' };
      this.probes.stop();
      await this.deps.runtime.stopPodSandbox(sandbox.id);
      await this.deps.reportStatus(this.pod, this.status(attempts, false, now()));
      return;
    }
    await this.deps.reportStatus(this.pod, status);
  }

  private status(attempts: Map<string, RuntimeContainerStatus[]>, sandboxReady: boolean, now: number): PodStatus {
    const view = (c: ContainerSpec, init: boolean): ContainerView => {
      const list = attempts.get(c.name) ?? [];
      let v = list[0] ? this.probes.verdict(list[0].id, c) : { ready: false, started: false };
      // An init container is ready once it has completed.
      if (init) v = { ready: list[0]?.state === 'CONTAINER_EXITED' && list[0].exitCode === 0, started: list[0]?.state === 'CONTAINER_RUNNING' };
      const waiting = this.waiting.get(c.name);
      return { spec: c, attempts: list, ready: v.ready, started: v.started, ...(waiting ? { waiting } : {}) };
    };
    // Transition times and startTime come from what we last reported, which the watch may not show yet.
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
    });
    this.lastStatus = status;
    return status;
  }

  private backoffKey(c: ContainerSpec): string {
    return `${this.uid}/${c.name}`;
  }

  /** Restarts an exited container now, or marks it CrashLoopBackOff and wakes up when the back-off ends. */
  private async restartIfDue(c: ContainerSpec, exited: RuntimeContainerStatus, init: boolean): Promise<void> {
    const key = this.backoffKey(c);
    const finishedAt = exited.finishedAt / 1e6;
    const now = this.deps.clock.now();
    if (this.deps.backoff.inBackoffSince(key, finishedAt, now)) {
      const delay = this.deps.backoff.delay(key);
      const message = `back-off ${Math.round(delay / 1000)}s restarting failed container=${c.name} pod=${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.uid})`;
      if (this.waiting.get(c.name)?.reason !== 'CrashLoopBackOff') this.event('Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.uid})`);
      this.waiting.set(c.name, { reason: 'CrashLoopBackOff', message });
      this.wakeAt(this.deps.backoff.retryAt(key, finishedAt));
      return;
    }
    this.deps.backoff.next(key, now);
    await this.startContainer(c, exited.metadata.attempt + 1, init);
    // Older dead attempts are garbage: keep only the one lastState reports.
    const old = (await this.attempts()).get(c.name)?.slice(2) ?? [];
    for (const o of old) await this.deps.runtime.removeContainer(o.id);
  }

  private async createSandbox(): Promise<void> {
    const m = this.pod.metadata;
    const config: PodSandboxConfig = {
      metadata: { name: m.name ?? '', namespace: m.namespace ?? '', uid: this.uid, attempt: 0 },
      hostname: this.pod.spec.hostname ?? m.name ?? '',
      labels: { ...(m.labels ?? {}), [runtimeLabels.podName]: m.name ?? '', [runtimeLabels.podNamespace]: m.namespace ?? '', [runtimeLabels.podUid]: this.uid },
      annotations: { ...(m.annotations ?? {}) },
    };
    const id = await this.deps.runtime.runPodSandbox(config);
    const st = await this.deps.runtime.podSandboxStatus(id);
    // A host-network pod shares the node's address.
    this.sandbox = { id, ip: this.pod.spec.hostNetwork ? this.deps.hostIP : st.network.ip, config };
  }

  private async startContainer(c: ContainerSpec, attempt: number, init: boolean): Promise<void> {
    const pullKey = `${this.uid}/${c.name}/pull`;
    if ((this.pullRetryAt.get(c.name) ?? 0) > this.deps.clock.now()) return;
    const deps = { ...this.deps, event: (t: 'Normal' | 'Warning', r: string, m: string) => this.event(t, r, m) };
    const r = await startContainer(deps, this.pod, this.sandbox!, c, attempt, init);
    if (r.kind === 'started') {
      this.waiting.delete(c.name);
      this.pullRetryAt.delete(c.name);
      this.deps.backoff.forgetPrefix(pullKey);
      return;
    }
    // Pull failures retry with the same back-off as crashes: ErrImagePull, then ImagePullBackOff.
    const now = this.deps.clock.now();
    this.waiting.set(c.name, { reason: this.deps.backoff.delay(pullKey) > 0 ? 'ImagePullBackOff' : 'ErrImagePull', message: r.message });
    this.deps.backoff.next(pullKey, now);
    const at = now + this.deps.backoff.delay(pullKey);
    this.pullRetryAt.set(c.name, at);
    this.wakeAt(at);
  }

  /** Runtime containers of this pod by container name, newest attempt first. */
  private async attempts(): Promise<Map<string, RuntimeContainerStatus[]>> {
    const out = new Map<string, RuntimeContainerStatus[]>();
    if (!this.sandbox) return out;
    const list = await this.deps.runtime.listContainers({ podSandboxId: this.sandbox.id });
    for (const c of list) {
      const st = await this.deps.runtime.containerStatus(c.id);
      const arr = out.get(c.metadata.name) ?? [];
      arr.push(st);
      out.set(c.metadata.name, arr);
    }
    for (const arr of out.values()) arr.sort((a, b) => b.metadata.attempt - a.metadata.attempt);
    return out;
  }

  private graceSeconds(override?: number): number {
    return override ?? this.pod.metadata.deletionGracePeriodSeconds ?? this.pod.spec.terminationGracePeriodSeconds ?? 30;
  }

  /** preStop, SIGTERM, the grace period, kill; then the final status and the pod's deletion. */
  private async terminate(): Promise<void> {
    if (this.state.kind === 'finished') return;
    this.state = { kind: 'terminating' };
    this.wakeup?.timer.cancel();
    this.probes.stop();
    const grace = this.graceSeconds();
    const attempts = await this.attempts();
    const all = [...(this.pod.spec.initContainers ?? []), ...this.pod.spec.containers];
    await Promise.all(
      all.map(async (c) => {
        const latest = attempts.get(c.name)?.[0];
        if (!latest || latest.state !== 'CONTAINER_RUNNING') return;
        const started = this.deps.clock.now();
        this.event('Normal', 'Killing', `Stopping container ${c.name}`);
        const preStop = c.lifecycle?.preStop;
        if (preStop && grace > 0) await this.runPreStop(c, latest.id, preStop, grace);
        const left = Math.max(0, grace - Math.floor((this.deps.clock.now() - started) / 1000));
        await this.deps.runtime.stopContainer(latest.id, left);
      }),
    );
    if (this.sandbox) await this.deps.runtime.stopPodSandbox(this.sandbox.id);
    if (!this.removed) {
      const final = await this.attempts();
      await this.deps.reportStatus(this.pod, this.status(final, false, this.deps.clock.now()));
      await this.deps.deletePod(this.pod);
    }
    if (this.sandbox) await this.deps.runtime.removePodSandbox(this.sandbox.id);
    this.deps.backoff.forgetPrefix(`${this.uid}/`);
    this.state = { kind: 'finished' };
    this.deps.onFinished(this.uid);
  }

  private async runPreStop(c: ContainerSpec, containerId: string, hook: NonNullable<NonNullable<ContainerSpec['lifecycle']>['preStop']>, grace: number): Promise<void> {
    if (hook.sleep) {
      const ms = Math.min(hook.sleep.seconds, grace) * 1000;
      await new Promise<void>((r) => this.deps.clock.setTimeout(r, ms));
      return;
    }
    const target = { pod: this.pod, container: c, containerId, podIP: this.sandbox?.ip ?? '', kind: 'liveness' as const };
    const out = await this.deps.prober.probe(target, hook, grace * 1000);
    if (!out.ok) this.event('Warning', 'FailedPreStopHook', `PreStopHook failed: ${out.output}`);
  }
}
