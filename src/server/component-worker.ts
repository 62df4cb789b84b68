// A control-plane component (scheduler or controller manager) on its own thread,
// with its own event loop, so it does not queue behind the API server's
// requests — as separate processes do in Kubernetes. Entry of the worker and
// the parent's handle on it.

import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { realClock } from '../machinery/clock.ts';
import type { SchedulerOptions } from '../scheduler/config.ts';
import type { ControllerManagerOptions } from '../controllers/types.ts';
import { runControllerManager, runScheduler, type Running } from './components.ts';

export type WorkerJob =
  | { component: 'scheduler'; server: string; leaderElect: boolean; options: SchedulerOptions }
  | { component: 'controller-manager'; server: string; leaderElect: boolean; options: Partial<ControllerManagerOptions>; only?: string[] };

type Message = { kind: 'started' } | { kind: 'failed'; error: string } | { kind: 'stopped' };

/** Starts the component on a worker thread; resolves once it runs. */
export function runInWorker(job: WorkerJob): Promise<Running> {
  const worker = new Worker(new URL(import.meta.url), { workerData: job });
  return new Promise((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`the ${job.component} thread exited with ${code} before starting`));
    worker.once('exit', onExit);
    worker.once('error', reject);
    worker.once('message', (m: Message) => {
      worker.off('exit', onExit);
      if (m.kind === 'failed') {
        reject(new Error(`${job.component}: ${m.error}`));
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

async function workerMain(job: WorkerJob): Promise<void> {
  const port = parentPort!;
  const opts = { server: job.server, clock: realClock, log: (line: string) => process.stderr.write(`${line}\n`), leaderElect: job.leaderElect };
  let running: Running;
  try {
    running =
      job.component === 'scheduler' ? await runScheduler(opts, job.options) : await runControllerManager(opts, job.options, job.only);
  } catch (e) {
    port.postMessage({ kind: 'failed', error: (e as Error).message } satisfies Message);
    return;
  }
  port.on('message', (m) => {
    if (m !== 'stop') return;
    running.stop().finally(() => {
      port.postMessage({ kind: 'stopped' } satisfies Message);
      process.exit(0);
    });
  });
  port.postMessage({ kind: 'started' } satisfies Message);
}

if (!isMainThread && parentPort && (workerData as WorkerJob | undefined)?.component) {
  void workerMain(workerData as WorkerJob);
}
