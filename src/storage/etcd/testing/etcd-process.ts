// Test helper: real etcd members on free loopback ports in a temporary data
// directory, one alone or three as a cluster, that tests can kill and restart.

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ETCD_BIN = process.env['SKIFF_ETCD_BIN'] ?? '/usr/bin/etcd';

/** Why etcd tests cannot run here, or undefined when they can. */
export function etcdMissing(): string | undefined {
  return existsSync(ETCD_BIN) ? undefined : `${ETCD_BIN} not found (apt-get install etcd-server)`;
}

export type EtcdMember = {
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
  readonly running: boolean;
  /** SIGKILL (default) or SIGTERM, and wait for the exit. */
  stop(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts the member again on its data dir and ports. */
  start(): Promise<void>;
};

export type EtcdCluster = {
  members: EtcdMember[];
  endpoints: string[];
  /** Stops every member and removes the data. */
  cleanup(): Promise<void>;
};

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A one-member etcd. */
export function startEtcd(): Promise<EtcdCluster> {
  return startEtcdCluster(1);
}

/** `size` members forming one cluster; resolves when every member is healthy. */
export async function startEtcdCluster(size = 3): Promise<EtcdCluster> {
  installExitHook();
  const root = await mkdtemp(join(dataRoot(), 'skiff-etcd-'));
  const ports = await freePorts(size * 2);
  const token = `skiff-${process.pid}-${Date.now()}`;
  const specs = Array.from({ length: size }, (_, i) => ({
    name: `m${i}`,
    clientUrl: `http://127.0.0.1:${ports[2 * i]}`,
    peerUrl: `http://127.0.0.1:${ports[2 * i + 1]}`,
    dataDir: join(root, `m${i}`),
  }));
  const initialCluster = specs.map((s) => `${s.name}=${s.peerUrl}`).join(',');
  const members = specs.map((spec) => memberOf(spec, root, initialCluster, token));
  try {
    await Promise.all(members.map((m) => m.start()));
  } catch (err) {
    await Promise.all(members.map((m) => m.stop()));
    await rm(root, { recursive: true, force: true });
    throw err;
  }
  return {
    members,
    endpoints: members.map((m) => m.clientUrl),
    async cleanup() {
      await Promise.all(members.map((m) => m.stop()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

type Spec = { name: string; clientUrl: string; peerUrl: string; dataDir: string };

function memberOf(spec: Spec, root: string, initialCluster: string, token: string): EtcdMember {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const args = [
    `--name=${spec.name}`,
    `--data-dir=${spec.dataDir}`,
    `--listen-client-urls=${spec.clientUrl}`,
    `--advertise-client-urls=${spec.clientUrl}`,
    `--listen-peer-urls=${spec.peerUrl}`,
    `--initial-advertise-peer-urls=${spec.peerUrl}`,
    `--initial-cluster=${initialCluster}`,
    `--initial-cluster-token=${token}`,
    '--initial-cluster-state=new',
    '--heartbeat-interval=50',
    '--election-timeout=500',
    '--log-level=warn',
    '--logger=zap',
  ];
  const member: EtcdMember = {
    ...spec,
    get running() {
      return child !== undefined;
    },
    async start() {
      if (child) return;
      const log = openSync(join(root, `${spec.name}.log`), 'a');
      const c = spawn(ETCD_BIN, args, { stdio: ['ignore', log, log] });
      closeSync(log);
      child = c;
      live.add(c);
      exited = new Promise((resolve) => {
        c.once('exit', () => {
          live.delete(c);
          if (child === c) child = undefined;
          resolve();
        });
      });
      await waitHealthy(spec.clientUrl, () => child === c, root, spec.name);
    },
    async stop(signal = 'SIGKILL') {
      const c = child;
      if (!c) return;
      c.kill(signal);
      await exited;
    },
  };
  return member;
}

/** `/health` answers true once the member has a leader and can serve. */
async function waitHealthy(clientUrl: string, alive: () => boolean, root: string, name: string): Promise<void> {
  const until = Date.now() + 20_000;
  while (Date.now() < until) {
    if (!alive()) throw new Error(`etcd ${name} exited during start; see ${join(root, `${name}.log`)}`);
    try {
      const res = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
      const body = (await res.json()) as { health?: string };
      if (body.health === 'true') return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`etcd ${name} at ${clientUrl} did not become healthy within 20 s`);
}

/** Ports the kernel hands out for port 0, released again for etcd to bind. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** tmpfs when there is one: etcd fsyncs every commit, and tests need no durability across reboots. */
function dataRoot(): string {
  const shm = '/dev/shm';
  return process.env['SKIFF_ETCD_TMP'] ?? (existsSync(shm) && statSync(shm).isDirectory() ? shm : tmpdir());
}

// A failing test must not leave etcd processes behind.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}
