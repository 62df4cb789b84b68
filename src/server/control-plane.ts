// `skiff server`: storage, API server (and, in later steps, scheduler and
// controllers) in one process, with its progress printed phase by phase.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, type ApiServer } from '../apiserver/server.ts';
import { openSqliteStorage } from '../storage/sqlite/sqlite.ts';
import type { Storage } from '../storage/interface.ts';
import { writeKubeconfig } from './kubeconfig.ts';

export type ControlPlaneOptions = {
  dataDir: string;
  port: number;
  bind: string;
  log: (line: string) => void;
};

export type ControlPlane = { apiServer: ApiServer; storage: Storage; kubeconfigPath: string; stop(): Promise<void> };

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const started = performance.now();
  const phase = (what: string) => opts.log(`[${((performance.now() - started) / 1000).toFixed(2)}s] ${what}`);
  mkdirSync(join(opts.dataDir, 'db'), { recursive: true });
  const dbPath = join(opts.dataDir, 'db', 'state.db');
  phase(`opening the store at ${dbPath}`);
  const storage = openSqliteStorage(dbPath);
  phase('starting the API server (filling the watch caches)');
  const apiServer = await startApiServer({ storage, port: opts.port, host: opts.bind, log: opts.log });
  const kubeconfigPath = join(opts.dataDir, 'kubeconfig.yaml');
  writeKubeconfig(kubeconfigPath, apiServer.url);
  phase(`API server listening on ${apiServer.url}`);
  return {
    apiServer,
    storage,
    kubeconfigPath,
    async stop() {
      await apiServer.close();
      await storage.close();
    },
  };
}
