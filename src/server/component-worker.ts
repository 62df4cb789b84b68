// The control-plane components (scheduler, controller manager) on a thread of
// their own, with its own event loop, so they do not queue behind the API
// server's requests — as separate processes do in Kubernetes. Both share one
// thread by default: each extra thread is a whole V8 heap and a second copy of
// the client library's module graph (~25 MB idle), while the two seldom
// compete (the controllers create, the scheduler then binds). Entry of the
// worker and the parent's handle on it.

import { flushCompileCache } from 'node:module';
import { isMainThread, parentPort, Worker, workerData, type ResourceLimits } from 'node:worker_threads';
import { realClock } from '../machinery/clock.ts';
import type { SchedulerOptions } from '../scheduler/config.ts';
import type { ControllerManagerOptions } from '../controllers/types.ts';
import type { InformerFactory } from '../client/informer-factory.ts';
import { runControllerManager, runScheduler, sharedInformers, type Running } from './components.ts';

export type WorkerJob =
  | { component: 'scheduler'; server: string; leaderElect: boolean; options: SchedulerOptions }
  | { component: 'controller-manager'; server: string; leaderElect: boolean; options: Partial<ControllerManagerOptions>; only?: string[] };

type Message = { kind: 'started' } | { kind: 'failed'; error: string } | { kind: 'stopped' };
type WorkerInput = { jobs: WorkerJob[] };

/**
 * A capped young generation (semi-spaces of ~5 MB instead of growing to
 * 16 MB): these threads allocate in short bursts, and the default keeps tens
 * of MB committed after one. 16 measured as fast as no cap on bench/deployment.ts;
 * 6 saves only ~2 MB more.
 */
export const componentThreadLimits: ResourceLimits = { maxYoungGenerationSizeMb: 16 };

/** Starts the components together on one worker thread; resolves once all run. */
export function runInWorker(jobs: WorkerJob[], resourceLimits: ResourceLimits = componentThreadLimits): Promise<Running> {
  const names = jobs.map((j) => j.component).join(' + ');
  const worker = new Worker(new URL(import.meta.url), { workerData: { jobs } satisfies WorkerInput, resourceLimits });
  return new Promise((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`the ${names} thread exited with ${code} before starting`));
    worker.once('exit', onExit);
    worker.once('error', reject);
    worker.once('message', (m: Message) => {
      worker.off('exit', onExit);
      if (m.kind === 'failed') {
        void worker.terminate();
        reject(new Error(m.error));
        return;
      }
      resolve({
        stop: () =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => void worker.terminate().then(() => done()), 5000);
            worker.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            worker.postMessage('stop');
          }),
      });
    });
  });
}

async function start(job: WorkerJob, informers: InformerFactory | undefined): Promise<Running> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const opts = { server: job.server, clock: realClock, log, leaderElect: job.leaderElect, ...(informers ? { informers } : {}) };
  try {
    return job.component === 'scheduler' ? await runScheduler(opts, job.options) : await runControllerManager(opts, job.options, job.only);
  } catch (e) {
    throw new Error(`${job.component}: ${(e as Error).message}`);
  }
}

async function workerMain(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  // Components on one thread receive, parse and cache each pod, node and lease event once, not once each.
  const first = input.jobs[0];
  const informers = input.jobs.length > 1 && first ? sharedInformers(first.server) : undefined;
  const results = await Promise.allSettled(input.jobs.map((job) => start(job, informers)));
  const running = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    for (const r of running) await r.stop().catch(() => undefined);
    port.postMessage({ kind: 'failed', error: (failed.reason as Error).message } satisfies Message);
    return;
  }
  port.on('message', (m) => {
    if (m !== 'stop') return;
    // Reverse start order: the controllers stop before the scheduler, as with separate threads.
    Promise.allSettled(running.reverse().map((r) => r.stop())).finally(() => {
      port.postMessage({ kind: 'stopped' } satisfies Message);
      process.exit(0);
    });
  });
  port.postMessage({ kind: 'started' } satisfies Message);
  flushCompileCache();
}

if (!isMainThread && parentPort && Array.isArray((workerData as WorkerInput | undefined)?.jobs)) {
  void workerMain(workerData as WorkerInput);
}
