// Client throughput against an API server in a child process (SQLite, FULL
// sync): pods created, bound through pods/binding, GETs, and watch events
// delivered to an informer. Goals: ≥ 1,000 bindings/s (the scheduler's need),
// informer sees every event.
//
//   node bench/client.ts            (PODS env to resize, CONCURRENCY for requests in flight)

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../src/api/meta.ts';
import { resourceFor } from '../src/api/scheme.ts';
import { startApiServer } from '../src/apiserver/server.ts';
import { SharedInformer } from '../src/client/informer.ts';
import { RestClient } from '../src/client/rest-client.ts';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite.ts';

const pods = resourceFor('', 'v1', 'pods')!;
const PODS = Number(process.env.PODS ?? 10_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 64);

async function apiServerChild(dir: string): Promise<void> {
  const storage = openSqliteStorage(join(dir, 'state.db'));
  const server = await startApiServer({ storage });
  process.stdout.write(`${server.url}\n`);
  process.on('SIGTERM', () => {
    void server.close().then(() => storage.close()).then(() => process.exit(0));
  });
}

async function startChild(): Promise<{ url: string; child: ChildProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-client-'));
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', import.meta.filename, '--apiserver', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`API server exited with ${code}`)));
  });
  return { url, child, dir };
}

/** Runs `fn(i)` for i in [0, n) with at most `c` in flight; returns operations per second. */
async function pool(n: number, c: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  return n / ((performance.now() - start) / 1000);
}

function line(what: string, value: number, goal?: number): void {
  const g = goal === undefined ? '' : `   (goal ≥ ${goal}/s${value >= goal ? ', met' : ', NOT met'})`;
  console.log(`  ${what.padEnd(36)} ${Math.round(value).toString().padStart(7)}/s${g}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--apiserver') return apiServerChild(process.argv[3]!);
  console.log(`client benchmark: ${PODS} pods, ${CONCURRENCY} requests in flight (API server in a child process, SQLite FULL sync)`);
  const { url, child, dir } = await startChild();
  const client = new RestClient({ server: url });
  try {
    const informer = new SharedInformer<KubeObject>({ client, resource: pods, namespace: 'default', log: console.error });
    let seen = 0;
    informer.addEventHandler({ onAdd: () => seen++, onUpdate: () => seen++ });
    informer.run();
    await informer.waitForSync();
    const pod = (i: number): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p-${i}`, labels: { app: 'bench' } },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    line('create pods', await pool(PODS, CONCURRENCY, (i) => client.create(pods, 'default', pod(i))));
    const bindStart = performance.now();
    line(
      'bind pods (pods/binding)',
      await pool(PODS, CONCURRENCY, (i) =>
        client.postSubresource(pods, 'default', `p-${i}`, 'binding', {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name: `p-${i}` },
          target: { apiVersion: 'v1', kind: 'Node', name: `node-${i % 100}` },
        }),
      ),
      1000,
    );
    const bindEnd = performance.now();
    const deadline = Date.now() + 60_000;
    while (seen < 2 * PODS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    const lag = performance.now() - bindEnd;
    console.log(`  informer events seen                 ${seen} of ${2 * PODS} (goal: all; the last binding seen ${Math.round(lag)} ms after it returned, binding took ${((bindEnd - bindStart) / 1000).toFixed(1)} s)`);
    line('get pods', await pool(PODS, CONCURRENCY, (i) => client.get(pods, 'default', `p-${i}`)));
    const listStart = performance.now();
    const listed = await client.list(pods, 'default');
    console.log(`  list of ${listed.items.length} pods                    ${Math.round(performance.now() - listStart)} ms`);
    informer.stop();
  } finally {
    client.close();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
