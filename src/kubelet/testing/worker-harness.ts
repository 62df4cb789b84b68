// A pod worker over the fake runtime in fake time, for the pod worker's tests.

import { FakeClock } from '../../machinery/clock.ts';
import { CrashBackoff } from '../crash-backoff.ts';
import { Pleg } from '../pleg.ts';
import { PodWorker, type PodWorkerDeps } from '../pod-worker.ts';
import { FakeProber } from '../prober.ts';
import { FakeRuntime } from '../runtime/fake-runtime.ts';
import type { Pod, PodStatus } from '../types.ts';

export type HarnessOptions = Partial<Pick<PodWorkerDeps, 'volumes' | 'readTerminationMessage' | 'client' | 'prober'>> & {
  /** An existing runtime and its clock (a restarted kubelet's worker finds what the old one left). */
  runtime?: FakeRuntime;
};

export function harness(pod: Pod, { runtime: existing, ...opts }: HarnessOptions = {}) {
  const clock = (existing?.clock as FakeClock | undefined) ?? new FakeClock();
  const runtime = existing ?? new FakeRuntime({ clock, podCIDR: '10.244.3.0/24' });
  const events: string[] = [];
  const statuses: PodStatus[] = [];
  const logs: string[] = [];
  let deleted = 0;
  let finished = false;
  const worker = new PodWorker(pod, {
    clock,
    runtime,
    images: runtime,
    runtimeName: 'fake',
    prober: new FakeProber(runtime),
    backoff: new CrashBackoff(),
    recorder: { event: (_o, _t, reason, message) => events.push(`${reason}: ${message}`) },
    nodeName: 'n0',
    hostIP: '192.168.0.10',
    sandbox: { nodeName: 'n0' },
    reportStatus: async (_p, s) => void statuses.push(s),
    deletePod: async () => void deleted++,
    onFinished: () => (finished = true),
    log: (l) => void logs.push(l),
    ...opts,
  });
  // The relister is what notices containers exiting on their own.
  const pleg = new Pleg(runtime, clock, (ev) => worker.plegEvent(ev));
  pleg.start();
  const settle = async () => {
    // A sync may be parked on a fake timer (grace period), so don't wait for idle: flush a few turns.
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  };
  const advance = async (ms: number) => {
    // Step a second at a time so async work between timers runs, as it would in real time.
    for (let t = 0; t < ms; t += 1000) {
      clock.advance(Math.min(1000, ms - t));
      await settle();
    }
  };
  return { clock, runtime, events, statuses, logs, worker, settle, advance, last: () => statuses.at(-1)!, deleted: () => deleted, finished: () => finished, stop: () => pleg.stop() };
}

export function makePod(over: Partial<Pod['spec']> = {}, annotations: Record<string, string> = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'uid-1', annotations, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { nodeName: 'n0', containers: [{ name: 'app', image: 'busybox' }], ...over },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
}
