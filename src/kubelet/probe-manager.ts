// Liveness, readiness and startup probes of one pod's running containers:
// one periodic loop per container and kind, with Kubernetes' thresholds.

import type { Clock, Timer } from '../machinery/clock.ts';
import type { ProbeKind } from './runtime/runtime.ts';
import type { Prober } from './prober.ts';
import type { ContainerSpec, Pod, Probe } from './types.ts';

type Loop = {
  kind: ProbeKind;
  probe: Probe;
  result: boolean;
  successes: number;
  failures: number;
  timer?: Timer;
  stopped: boolean;
};

type Entry = { containerId: string; spec: ContainerSpec; loops: Loop[] };

export type ProbeVerdict = { ready: boolean; started: boolean; /** Why to kill the container, if liveness or startup gave up. */ kill?: string };

export type ProbeManagerOptions = {
  clock: Clock;
  prober: Prober;
  /** The pod as its worker has it now; read at each probe, not kept (a kept copy would hold an old version alive). */
  pod: () => Pod;
  onChange: () => void;
  onUnhealthy: (container: string, kind: ProbeKind, output: string) => void;
};

const kindName = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' } as const;

export class ProbeManager {
  private readonly opts: ProbeManagerOptions;
  private readonly entries = new Map<string, Entry>();
  private podIP = '';

  constructor(opts: ProbeManagerOptions) {
    this.opts = opts;
  }

  /** Probes exactly the given running containers: new ones start their loops, gone ones stop. */
  update(podIP: string, running: { containerId: string; spec: ContainerSpec }[]): void {
    this.podIP = podIP;
    const keep = new Set(running.map((r) => r.containerId));
    for (const [id, e] of this.entries) if (!keep.has(id)) this.stopEntry(id, e);
    for (const r of running) {
      if (this.entries.has(r.containerId)) continue;
      const e: Entry = { containerId: r.containerId, spec: r.spec, loops: [] };
      const add = (kind: ProbeKind, probe: Probe | undefined) => {
        if (!probe) return;
        const loop: Loop = { kind, probe, result: kind === 'liveness', successes: 0, failures: 0, stopped: false };
        e.loops.push(loop);
        this.schedule(e, loop, (probe.initialDelaySeconds ?? 0) * 1000);
      };
      add('startup', r.spec.startupProbe);
      add('liveness', r.spec.livenessProbe);
      add('readiness', r.spec.readinessProbe);
      this.entries.set(r.containerId, e);
    }
  }

  verdict(containerId: string, spec: ContainerSpec): ProbeVerdict {
    const e = this.entries.get(containerId);
    const loop = (k: ProbeKind) => e?.loops.find((l) => l.kind === k);
    const startup = loop('startup');
    const started = !spec.startupProbe || startup?.result === true;
    const readiness = loop('readiness');
    const ready = started && (!spec.readinessProbe || readiness?.result === true);
    const v: ProbeVerdict = { ready, started };
    const liveness = loop('liveness');
    if (liveness && !liveness.result) v.kill = `Container ${spec.name} failed liveness probe, will be restarted`;
    if (startup?.stopped && !startup.result) v.kill = `Container ${spec.name} failed startup probe, will be restarted`;
    return v;
  }

  stop(): void {
    for (const [id, e] of this.entries) this.stopEntry(id, e);
  }

  private stopEntry(id: string, e: Entry): void {
    for (const l of e.loops) {
      l.stopped = true;
      l.timer?.cancel();
    }
    this.entries.delete(id);
  }

  private schedule(e: Entry, loop: Loop, delayMs: number): void {
    if (loop.stopped) return;
    loop.timer = this.opts.clock.setTimeout(() => void this.run(e, loop), delayMs);
  }

  private async run(e: Entry, loop: Loop): Promise<void> {
    const period = (loop.probe.periodSeconds ?? 10) * 1000;
    const startup = e.loops.find((l) => l.kind === 'startup');
    // Liveness and readiness wait for the startup probe to succeed.
    if (loop.kind !== 'startup' && startup && !startup.result) return this.schedule(e, loop, period);
    if (loop.stopped) return;
    const pod = this.opts.pod();
    const timeoutMs = (loop.probe.timeoutSeconds ?? 1) * 1000;
    const out = await this.opts.prober.probe({ pod, container: e.spec, containerId: e.containerId, podIP: this.podIP, kind: loop.kind }, loop.probe, timeoutMs);
    if (loop.stopped) return;
    const before = loop.result;
    if (out.ok) {
      loop.failures = 0;
      loop.successes++;
      if (loop.successes >= (loop.probe.successThreshold ?? 1)) loop.result = true;
    } else {
      loop.successes = 0;
      loop.failures++;
      this.opts.onUnhealthy(e.spec.name, loop.kind, `${kindName[loop.kind]} probe failed: ${out.output}`);
      if (loop.failures >= (loop.probe.failureThreshold ?? 3)) loop.result = false;
    }
    const startupGaveUp = loop.kind === 'startup' && !loop.result && loop.failures >= (loop.probe.failureThreshold ?? 3);
    // A succeeded startup probe and a failed liveness or startup probe stop probing: the container is done with them.
    if ((loop.kind === 'startup' && loop.result) || startupGaveUp || (loop.kind === 'liveness' && !loop.result)) loop.stopped = true;
    else this.schedule(e, loop, period);
    if (before !== loop.result || startupGaveUp) this.opts.onChange();
  }
}
