// `skiff server`: storage, API server, scheduler and controller manager in one
// process, with its progress printed phase by phase. The scheduler and the
// controllers talk to the API server over HTTP like any other client.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, type ApiServer } from '../apiserver/server.ts';
import { openSqliteStorage } from '../storage/sqlite/sqlite.ts';
import type { Storage } from '../storage/interface.ts';
import type { SchedulerOptions } from '../scheduler/config.ts';
import type { ControllerManagerOptions } from '../controllers/types.ts';
import type { Running } from './components.ts';
import { runInWorker } from './component-worker.ts';
import { writeKubeconfig } from './kubeconfig.ts';

export type ControlPlaneOptions = {
  dataDir: string;
  port: number;
  bind: string;
  log: (line: string) => void;
  /** Open another store (etcd) instead of the embedded SQLite one. */
  openStorage?: () => Promise<Storage>;
  scheduler: false | SchedulerOptions;
  controllerManager: false | { options: Partial<ControllerManagerOptions>; only?: string[] };
  leaderElect: boolean;
  defaultTolerationSeconds?: { notReady: number; unreachable: number };
};

export type ControlPlane = { apiServer: ApiServer; storage: Storage; kubeconfigPath: string; stop(): Promise<void> };

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const started = performance.now();
  const phase = (what: string) => opts.log(`[${((performance.now() - started) / 1000).toFixed(2)}s] ${what}`);
  mkdirSync(join(opts.dataDir, 'db'), { recursive: true });
  let storage: Storage;
  if (opts.openStorage) {
    phase('connecting to the store');
    storage = await opts.openStorage();
  } else {
    const dbPath = join(opts.dataDir, 'db', 'state.db');
    phase(`opening the store at ${dbPath}`);
    storage = openSqliteStorage(dbPath);
  }
  phase('starting the API server (filling the watch caches)');
  const apiServer = await startApiServer({
    storage,
    port: opts.port,
    host: opts.bind,
    log: opts.log,
    ...(opts.defaultTolerationSeconds ? { defaultTolerationSeconds: opts.defaultTolerationSeconds } : {}),
  });
  const kubeconfigPath = join(opts.dataDir, 'kubeconfig.yaml');
  writeKubeconfig(kubeconfigPath, apiServer.url);
  phase(`API server listening on ${apiServer.url}`);
  const components: Running[] = [];
  // The scheduler and the controller manager run on threads of their own.
  if (opts.scheduler) {
    components.push(await runInWorker({ component: 'scheduler', server: apiServer.url, leaderElect: opts.leaderElect, options: opts.scheduler }));
    phase(opts.leaderElect ? 'scheduler started (active once it holds its lease)' : 'scheduler started');
  }
  if (opts.controllerManager) {
    const cm = opts.controllerManager;
    components.push(
      await runInWorker({
        component: 'controller-manager',
        server: apiServer.url,
        leaderElect: opts.leaderElect,
        options: cm.options,
        ...(cm.only ? { only: cm.only } : {}),
      }),
    );
    phase(opts.leaderElect ? 'controller manager started (active once it holds its lease)' : 'controller manager started');
  }
  return {
    apiServer,
    storage,
    kubeconfigPath,
    async stop() {
      for (const c of components.reverse()) await c.stop().catch(() => undefined);
      await apiServer.close();
      await storage.close();
    },
  };
}
