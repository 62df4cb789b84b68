// `skiff server`: storage, API server, scheduler and controller manager in one
// process, with its progress printed phase by phase. The scheduler and the
// controllers talk to the API server over HTTP like any other client.

import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, type ApiServer } from '../apiserver/server.ts';
import { openSqliteStorage } from '../storage/sqlite/sqlite.ts';
import type { Storage } from '../storage/interface.ts';
import type { SchedulerOptions } from '../scheduler/config.ts';
import type { ControllerManagerOptions } from '../controllers/types.ts';
import type { Running } from './components.ts';
import { runInWorker, type WorkerJob } from './component-worker.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import type { AgentOptions, RunningAgent } from './agent.ts';

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
  /** `shared` (default): the scheduler and the controller manager share one worker thread (less memory);
   * `separate`: a thread each (more throughput on a busy cluster). */
  componentThreads?: 'shared' | 'separate';
  /** Run a node agent in this process (it gets the API server's URL, the token and the data dir). */
  agent?: Omit<AgentOptions, 'server' | 'token' | 'dataDir' | 'log'>;
};

export type ControlPlane = { apiServer: ApiServer; storage: Storage; kubeconfigPath: string; token: string; agent?: RunningAgent; stop(): Promise<void> };

/** The cluster token in D/server/token, created (random, mode 0600) on first start. */
export function clusterToken(dataDir: string): string {
  const dir = join(dataDir, 'server');
  const file = join(dir, 'token');
  try {
    const t = readFileSync(file, 'utf8').trim();
    if (t) return t;
  } catch {
    // first start: create it below
  }
  mkdirSync(dir, { recursive: true });
  const token = randomBytes(24).toString('hex');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

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
  const token = clusterToken(opts.dataDir);
  phase('starting the API server (filling the watch caches)');
  const apiServer = await startApiServer({
    storage,
    kubeletToken: token,
    port: opts.port,
    host: opts.bind,
    log: opts.log,
    ...(opts.defaultTolerationSeconds ? { defaultTolerationSeconds: opts.defaultTolerationSeconds } : {}),
  });
  const kubeconfigPath = join(opts.dataDir, 'kubeconfig.yaml');
  writeKubeconfig(kubeconfigPath, apiServer.url);
  phase(`API server listening on ${apiServer.url}`);
  // The scheduler and the controller manager share a thread of their own (see
  // component-worker.ts); it and the agent start side by side (the agent's node waits for node IPAM anyway).
  const jobs: WorkerJob[] = [];
  if (opts.scheduler) jobs.push({ component: 'scheduler', server: apiServer.url, leaderElect: opts.leaderElect, options: opts.scheduler });
  const cm = opts.controllerManager;
  if (cm) jobs.push({ component: 'controller-manager', server: apiServer.url, leaderElect: opts.leaderElect, options: cm.options, ...(cm.only ? { only: cm.only } : {}) });
  const starting: Promise<Running>[] = [];
  const groups = opts.componentThreads === 'separate' ? jobs.map((j) => [j]) : jobs.length > 0 ? [jobs] : [];
  for (const group of groups) {
    const names = group.map((j) => (j.component === 'scheduler' ? 'scheduler' : 'controller manager')).join(' and ');
    starting.push(
      runInWorker(group).then((r) => {
        phase(opts.leaderElect ? `${names} started (${group.length > 1 ? 'each ' : ''}active once it holds its lease)` : `${names} started`);
        return r;
      }),
    );
  }
  let agent: RunningAgent | undefined;
  const agentOpts = opts.agent;
  const agentStarting = agentOpts
    ? import('./agent.ts').then(async ({ startAgent }) => {
        // The server's own node carries the control-plane role, as k3s and kubeadm label it.
        const labels = { 'node-role.kubernetes.io/control-plane': 'true', ...agentOpts.labels };
        agent = await startAgent({ ...agentOpts, labels, server: apiServer.url, token, dataDir: opts.dataDir, log: opts.log });
        return agent;
      })
    : undefined;
  const results = await Promise.allSettled([...starting, ...(agentStarting ? [agentStarting] : [])]);
  const components: Running[] = [];
  for (const r of results.slice(0, starting.length)) if (r.status === 'fulfilled') components.push(r.value);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await agent?.stop().catch(() => undefined);
    for (const c of components.reverse()) await c.stop().catch(() => undefined);
    await apiServer.close();
    await storage.close();
    throw failed.reason;
  }
  return {
    apiServer,
    storage,
    kubeconfigPath,
    token,
    ...(agent ? { agent } : {}),
    async stop() {
      await agent?.stop();
      for (const c of components.reverse()) await c.stop().catch(() => undefined);
      await apiServer.close();
      await storage.close();
    },
  };
}
