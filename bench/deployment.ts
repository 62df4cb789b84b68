// A Deployment scaled from 0 to 10,000 replicas on 1,000 hollow nodes, against
// a real `skiff server` process (API server, scheduler and controller manager
// with the replicaset and deployment controllers); the hollow nodes run in this
// process. Prints the time until all replicas are available, API writes per
// pod (storage revisions consumed: every create, binding, status and scale
// write of every component), then a rolling update of all of it.
// The time from "all created" to "all available" is the scheduler's binding
// and the hollow kubelets' status writes, not these controllers.
// Goal: 10,000 available within 60 s. Each phase has a deadline; the run ends within 3 minutes.
// With --bind-in-bench the server runs without its scheduler and this process
// binds pods round robin to the hollow nodes (isolates the controllers from
// the scheduler's cost, which shares the server's one thread).
// Usage: node bench/deployment.ts [--nodes 1000] [--replicas 10000] [--bind-in-bench]

import { performance } from 'node:perf_hooks';
import { resourceFor } from '../src/api/scheme.ts';
import { RestClient } from '../src/client/rest-client.ts';
import { InformerFactory } from '../src/client/informer-factory.ts';
import type { KubeObject } from '../src/api/meta.ts';
import { HollowNodes } from '../src/kubelet/sim/hollow-nodes.ts';
import { realClock } from '../src/machinery/clock.ts';
import { parseArgs, numberFlag } from '../src/cli/args.ts';
import type { Deployment } from '../src/controllers/common/types.ts';
import { removeDir, startServer } from '../test/e2e/harness.ts';

const args = parseArgs(process.argv.slice(2), ['bind-in-bench']);
const bindHere = args.flags.has('bind-in-bench');
const nodeCount = numberFlag(args, 'nodes', 1000);
const replicas = numberFlag(args, 'replicas', 10_000);
const deployments = resourceFor('apps', 'v1', 'deployments')!;
const namespaces = resourceFor('', 'v1', 'namespaces')!;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const line = (what: string, value: string, goal = '') => console.log(`${what.padEnd(48)} ${value.padStart(14)}${goal ? `   goal ${goal}` : ''}`);

// At this scale the scheduler and the controller manager each need a thread of their own
// (`--component-threads separate`; sharing one, skiff server's default, took 62 s instead of 42 s).
// `--component-threads shared` measures the default.
const threadsArg = process.argv.indexOf('--component-threads');
const threads = ['--component-threads', threadsArg >= 0 ? (process.argv[threadsArg + 1] ?? 'separate') : 'separate'];
const server = await startServer(['--controllers', 'replicaset,deployment', ...threads, ...(bindHere ? ['--disable-scheduler'] : [])]);
const errors: string[] = [];
const log = (l: string) => void (errors.length < 5 && errors.push(l));
const simClient = new RestClient({ server: server.url, userAgent: 'bench-sim', maxSockets: 128 });
const client = new RestClient({ server: server.url, userAgent: 'bench-driver' });
const sim = new HollowNodes({ client: simClient, clock: realClock, log, count: nodeCount, zones: 3, events: false });
const pods = resourceFor('', 'v1', 'pods')!;

/** Stand-in scheduler: binds every unbound pod of the namespace to the next hollow node. */
function startBinder(): { stop(): void } {
  const bindClient = new RestClient({ server: server.url, userAgent: 'bench-binder', maxSockets: 64 });
  const informers = new InformerFactory(bindClient, { clock: realClock, log });
  const inf = informers.informerFor<KubeObject>(pods, { namespace: 'bench', fieldSelector: 'spec.nodeName=' });
  const queue: KubeObject[] = [];
  let next = 0;
  let active = 0;
  const pump = (): void => {
    while (active < 64 && queue.length > 0) {
      const p = queue.shift()!;
      const node = `sim-${next++ % nodeCount}`;
      active++;
      bindClient
        .postSubresource(pods, 'bench', p.metadata.name ?? '', 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: p.metadata.name }, target: { kind: 'Node', name: node } })
        .catch((e: unknown) => log(`bind ${p.metadata.name}: ${(e as Error).message}`))
        .finally(() => {
          active--;
          pump();
        });
    }
  };
  inf.addEventHandler({ onAdd: (p) => (queue.push(p), pump()) });
  informers.start();
  return {
    stop() {
      informers.stop();
      bindClient.close();
    },
  };
}

/** The store's revision now: one per write to the API. */
async function revision(): Promise<number> {
  const l = await client.list(namespaces, undefined, { limit: 1 });
  return Number(l.metadata.resourceVersion);
}

/** Polls the Deployment until `done` or the deadline; returns ms taken, or undefined and the last status. */
async function waitFor(gen: number, done: (d: Deployment) => boolean, deadlineMs: number, progress: (d: Deployment) => string): Promise<{ ms?: number; createdMs?: number; last: string }> {
  const t0 = performance.now();
  let last = '';
  let createdMs: number | undefined;
  while (performance.now() - t0 < deadlineMs) {
    const d = await client.get<Deployment>(deployments, 'bench', 'web');
    last = progress(d);
    // Pods the ReplicaSets count (created, not yet necessarily bound or running).
    if (createdMs === undefined && (d.status?.observedGeneration ?? 0) >= gen && (d.status?.updatedReplicas ?? 0) >= replicas) createdMs = performance.now() - t0;
    if (done(d)) return { ms: performance.now() - t0, last, ...(createdMs !== undefined ? { createdMs } : {}) };
    await new Promise((r) => setTimeout(r, 250));
  }
  return { last, ...(createdMs !== undefined ? { createdMs } : {}) };
}

const status = (d: Deployment) => `updated ${d.status?.updatedReplicas ?? 0}, available ${d.status?.availableReplicas ?? 0}, total ${d.status?.replicas ?? 0}`;
const complete = (gen: number) => (d: Deployment) =>
  (d.status?.observedGeneration ?? 0) >= gen && d.status?.updatedReplicas === replicas && d.status?.replicas === replicas && (d.status?.availableReplicas ?? 0) >= replicas;

try {
  console.log(
    `bench/deployment: ${replicas} replicas on ${nodeCount} hollow nodes; controllers ${bindHere ? 'in skiff server, pods bound by this benchmark (no scheduler)' : 'and scheduler in skiff server'} (${threads.join(' ')}) ${server.url}`,
  );
  const binder = bindHere ? startBinder() : undefined;
  const tNodes = performance.now();
  await sim.start();
  line(`${nodeCount} hollow nodes Ready`, secs(performance.now() - tNodes));

  await client.create(namespaces, undefined, { metadata: { name: 'bench' } });
  await client.create<Deployment>(deployments, 'bench', {
    metadata: { name: 'web' },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
    },
  });
  const rev0 = await revision();
  await client.patch(deployments, 'bench', 'web', 'merge', { spec: { replicas } }, { subresource: 'scale' });
  const up = await waitFor(2, complete(2), 90_000, status);
  const rev1 = await revision();
  if (up.ms !== undefined) line(`0 -> ${replicas} replicas, all available`, secs(up.ms), '60 s');
  else line('scale-up not finished after 90 s', up.last, '60 s');
  line('  all pods created by the controllers after', up.createdMs !== undefined ? secs(up.createdMs) : 'not all');
  line('  pods available per second', up.ms ? `${Math.round(replicas / (up.ms / 1000))}/s` : '-');
  line('  API writes per pod (all components)', ((rev1 - rev0) / replicas).toFixed(2), 'about 4: create, bind, status, + RS/deploy status');

  if (up.ms !== undefined) {
    await client.patch(deployments, 'bench', 'web', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } } });
    const roll = await waitFor(3, complete(3), 70_000, status);
    const rev2 = await revision();
    if (roll.ms !== undefined) line(`rolling update of ${replicas} (25% surge/unavailable)`, secs(roll.ms));
    else line('rolling update not finished after 70 s', roll.last);
    line('  all new pods created after', roll.createdMs !== undefined ? secs(roll.createdMs) : 'not all');
    line('  API writes per replaced pod', ((rev2 - rev1) / replicas).toFixed(2));
  }
  if (errors.length) console.log(`first errors:\n  ${errors.join('\n  ')}`);
  const serverErrors = server.output().split('\n').filter((l) => /error|fail/i.test(l));
  if (serverErrors.length) console.log(`server errors (${serverErrors.length}), first:\n  ${serverErrors.slice(0, 5).join('\n  ')}`);
  binder?.stop();
} finally {
  sim.stop();
  simClient.close();
  client.close();
  await server.stop();
  removeDir(server.dataDir);
}
