// API server figures through HTTP against a real `skiff server` process:
// creates/s with durability on, GET p50/p99, LIST of 10,000 pods, and a watch
// fan-out to 1,000 watchers. Goals (2-core machine): ≥ 2,000 creates/s,
// LIST 10k ≤ 150 ms, every watcher gets every event with p99 ≤ 100 ms.

import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startServer, removeDir } from '../test/e2e/harness.ts';

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

type Reply = { status: number; body: string };

function call(base: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(`${base}${path}`, { method, agent, headers: data ? { 'content-type': contentType, 'content-length': Buffer.byteLength(data) } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

function pod(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'bench', tier: 'web', index: name.slice(-1) } },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'busybox:1.36',
          command: ['httpd', '-f', '-p', '8080'],
          ports: [{ containerPort: 8080, name: 'http' }],
          env: [{ name: 'MODE', value: 'bench' }],
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
          readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 5 },
        },
      ],
    },
  };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function main(): Promise<void> {
  // The API server alone, so the figures are its own.
  const server = await startServer(['--disable-scheduler', '--disable-controller-manager']);
  const base = server.url;
  const ns = '/api/v1/namespaces/default';
  try {
    // Creates with durability on (every acknowledged write is fsynced in a group commit).
    const total = 10_000;
    const names = Array.from({ length: total }, (_, i) => `bench-${i}`);
    let failed = 0;
    const t0 = performance.now();
    await pool(names, 64, async (n) => {
      const r = await call(base, 'POST', `${ns}/pods`, pod(n));
      if (r.status !== 201) failed++;
    });
    const createSecs = (performance.now() - t0) / 1000;
    console.log(`creates: ${total} pods in ${createSecs.toFixed(2)} s = ${Math.round(total / createSecs)} creates/s with 64 clients (goal ≥ 2000)${failed ? `, ${failed} failed` : ''}`);

    // GET latency, one client at a time.
    const lat: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const s = performance.now();
      await call(base, 'GET', `${ns}/pods/bench-${(i * 7) % total}`);
      lat.push(performance.now() - s);
    }
    lat.sort((a, b) => a - b);
    console.log(`GET one pod: p50 ${ms(pct(lat, 50))}, p99 ${ms(pct(lat, 99))}`);

    // LIST 10k pods: whole (from the watch cache) and as kubectl pages it (limit=500, from the store).
    const whole: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 10; i++) {
      const s = performance.now();
      const r = await call(base, 'GET', `${ns}/pods`);
      whole.push(performance.now() - s);
      bytes = r.body.length;
    }
    whole.sort((a, b) => a - b);
    console.log(`LIST 10,000 pods (${(bytes / 1e6).toFixed(1)} MB): p50 ${ms(pct(whole, 50))}, best ${ms(whole[0]!)} (goal ≤ 150 ms)`);
    const s2 = performance.now();
    let cont = '';
    let pages = 0;
    do {
      const r = await call(base, 'GET', `${ns}/pods?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      cont = (JSON.parse(r.body) as { metadata: { continue?: string } }).metadata.continue ?? '';
      pages++;
    } while (cont);
    console.log(`LIST 10,000 pods in ${pages} pages of 500: ${ms(performance.now() - s2)}`);

    // Watch fan-out: 1,000 watchers on one namespace, every event to every watcher.
    await call(base, 'POST', `${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fan' }, data: { t: '0' } });
    const watchers = 1000;
    const events = 100;
    const delays: number[] = [];
    let received = 0;
    const sockets: { destroy(): void }[] = [];
    await Promise.all(
      Array.from({ length: watchers }, () =>
        new Promise<void>((ready, fail) => {
          const req = request(`${base}${ns}/configmaps?watch=true&fieldSelector=metadata.name%3Dfan&resourceVersion=0`, { agent: false }, (res) => {
            let buf = '';
            let first = true;
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              buf += chunk;
              let nl;
              while ((nl = buf.indexOf('\n')) >= 0) {
                const line = buf.slice(0, nl);
                buf = buf.slice(nl + 1);
                if (first) {
                  first = false;
                  ready();
                  continue;
                }
                // Only the send time is read: parsing whole events here would measure this process, not the server.
                if (line.startsWith('{"type":"MODIFIED"')) {
                  const t = /"t":"(\d+)"/.exec(line);
                  if (t) delays.push(Date.now() - Number(t[1]));
                  received++;
                }
              }
            });
          });
          req.on('error', fail);
          req.end();
          sockets.push(req);
        }),
      ),
    );
    const w0 = performance.now();
    for (let i = 0; i < events; i++) {
      await call(base, 'PATCH', `${ns}/configmaps/fan`, { data: { t: String(Date.now()) } }, 'application/merge-patch+json').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 10));
    }
    const deadline = Date.now() + 30_000;
    while (received < watchers * events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const secs = (performance.now() - w0) / 1000;
    delays.sort((a, b) => a - b);
    console.log(
      `watch fan-out: ${watchers} watchers × ${events} events: ${received}/${watchers * events} delivered, ${Math.round(received / secs)} deliveries/s, delivery p50 ${ms(pct(delays, 50))}, p99 ${ms(pct(delays, 99))} (goal: all delivered, p99 ≤ 100 ms)`,
    );
    for (const s of sockets) s.destroy();
  } finally {
    agent.destroy();
    await server.stop();
    removeDir(server.dataDir);
  }
}

await main();
