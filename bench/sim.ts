// Hollow nodes at scale against a real `skiff server` process: time for 5,000
// nodes to register and be Ready, time for 10,000 pods bound to them to be
// reported Running, and the memory of the process running the hollow nodes
// (this one). Goals: 10 s / 10 s / < 2 GiB (kwok's CI allows 60 s for each).
// Each phase has a deadline so the run ends within 3 minutes; a phase that
// misses it prints how far it got.
// Usage: node bench/sim.ts [--nodes 5000] [--pods 10000] [--no-events]

import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../src/api/meta.ts';
import { resourceFor } from '../src/api/scheme.ts';
import { RestClient } from '../src/client/rest-client.ts';
import { HollowNodes } from '../src/kubelet/sim/hollow-nodes.ts';
import { realClock } from '../src/machinery/clock.ts';
import { parseArgs, numberFlag } from '../src/cli/args.ts';
import { tuneGarbageCollector } from '../src/cli/gc-tuning.ts';
import { removeDir, startServer } from '../test/e2e/harness.ts';

// The hollow nodes run in this process, tuned as `skiff sim` tunes its own.
const gcTuned = tuneGarbageCollector();
const args = parseArgs(process.argv.slice(2), ['no-events']);
const nodeCount = numberFlag(args, 'nodes', 5000);
const podCount = numberFlag(args, 'pods', 10_000);
const events = !args.flags.has('no-events');
const pods = resourceFor('', 'v1', 'pods')!;
const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const line = (what: string, value: string, goal = '') => console.log(`${what.padEnd(46)} ${value.padStart(12)}${goal ? `   goal ${goal}` : ''}`);
const rate = (n: number, ms: number) => `${((n / ms) * 1000).toFixed(0)}/s`;
// CPU seconds the server process has used: a fairer comparison than wall time on a busy machine.
const serverCpu = (pid: number | undefined): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
};
// CPU seconds per thread name (main, the components' worker, V8's GC helpers, …) of a process.
const threadCpu = (pid: number | undefined): Map<string, number> => {
  const by = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/[0-9]+$/, '').trim();
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      by.set(name, (by.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    // The process is gone: nothing to report.
  }
  return by;
};
const cpuSince = (before: Map<string, number>, after: Map<string, number>) =>
  [...after]
    .map(([name, s]) => [name, s - (before.get(name) ?? 0)] as const)
    .filter(([, s]) => s >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, s]) => `${name} ${s.toFixed(1)}`)
    .join(', ');
const until = (p: Promise<unknown>, ms: number) => {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p.then(() => true), new Promise<boolean>((r) => (t = setTimeout(() => r(false), ms)))]).finally(() => clearTimeout(t));
};

const server = await startServer();
const errors: string[] = [];
const log = (l: string) => void (errors.length < 5 && errors.push(l));
const simClient = new RestClient({ server: server.url, userAgent: 'bench-sim', maxSockets: 128 });
const benchClient = new RestClient({ server: server.url, userAgent: 'bench-driver', maxSockets: 64 });
const sim = new HollowNodes({ client: simClient, clock: realClock, log, count: nodeCount, zones: 3, events });
let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

try {
  console.log(`bench/sim: ${nodeCount} hollow nodes, ${podCount} pods, events ${events ? 'on' : 'off'}, parallel scavenging ${gcTuned ? 'off' : 'on'}, server ${server.url}`);
  const t0 = performance.now();
  let ready = 0;
  let tReady = 0;
  const started = sim.start((node) => {
    if (node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && ++ready === nodeCount) tReady = performance.now();
  });
  if (!(await until(started, 80_000))) throw new Error(`only ${ready} of ${nodeCount} nodes Ready after 80 s (${rate(ready * 2, 80_000)} node writes)`);
  const tStarted = performance.now();
  line(`${nodeCount} nodes registered and Ready`, secs(tReady - t0), '10 s');
  line('  node writes (create + status)', rate(nodeCount * 2, tReady - t0));
  line('  + all leases created, pod watch synced', secs(tStarted - t0));

  // Count Running pods through a watch of our own, as `kubectl get pods
  // --field-selector status.phase=Running -w` sees them: only pods that are
  // Running reach us, and only their names are kept (the measuring instrument
  // shares the 2 cores with what it measures, so it caches nothing and does
  // not even decode managedFields).
  const running = new Set<string>();
  let tAllRunning = 0;
  let allRunning: () => void = () => {};
  const done = new Promise<void>((r) => (allRunning = r));
  const listed = await benchClient.list(pods, 'default', { fieldSelector: 'status.phase=Running' });
  const watchEnded: string[] = [];
  const counter = benchClient.watch<KubeObject>(
    pods,
    'default',
    { resourceVersion: listed.metadata.resourceVersion ?? '', fieldSelector: 'status.phase=Running', withoutManagedFields: true },
    (ev) => {
      if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED') return;
      running.add(ev.object.metadata.name ?? '');
      if (running.size === podCount && !tAllRunning) {
        tAllRunning = performance.now();
        allRunning();
      }
    },
    (err) => void watchEnded.push(err ? err.message : 'ended'),
  );

  const written0 = sim.statusWriter.written;
  const leases0 = sim.heartbeat.leaseWrites;
  const cpu0 = serverCpu(server.process.pid);
  const serverThreads0 = threadCpu(server.process.pid);
  const ownThreads0 = threadCpu(process.pid);
  const tCreate = performance.now();
  let created = 0;
  let tCreated = 0;
  let next = 0;
  const creating = Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < podCount && performance.now() - tCreate < 75_000) {
        const i = next++;
        const pod = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `bench-${i}`, namespace: 'default', labels: { app: 'bench' } },
          spec: { nodeName: `sim-${i % nodeCount}`, containers: [{ name: 'app', image: 'busybox:1.36', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
        };
        await benchClient.create(pods, 'default', pod as unknown as KubeObject, { discardResult: true });
        created++;
      }
    }),
  ).then(() => (tCreated = performance.now()));
  const allDone = await until(done, 80_000);
  await creating;
  const tEnd = tAllRunning || performance.now();
  const cpu = serverCpu(server.process.pid) - cpu0;
  const serverThreads = cpuSince(serverThreads0, threadCpu(server.process.pid));
  const ownThreads = cpuSince(ownThreads0, threadCpu(process.pid));
  line(`${created} pods created (bound to nodes)`, secs(tCreated - tCreate), '');
  line('  pod creates', rate(created, tCreated - tCreate));
  if (allDone) line(`${podCount} pods reported Running (from 1st create)`, secs(tAllRunning - tCreate), '10 s');
  else line(`pods Running after ${secs(tEnd - tCreate)}`, `${running.size} of ${podCount}`, '10 s for all');
  line('  Running after the last create', secs(Math.max(0, tEnd - tCreated)));
  const writes = sim.statusWriter.written - written0;
  line('  pods/status writes', `${writes} (${rate(writes, tEnd - tCreate)})`);
  line('  lease renewals meanwhile', rate(sim.heartbeat.leaseWrites - leases0, tEnd - tCreate));
  line('  server CPU in the pod phase', `${cpu.toFixed(1)} s (${((cpu / Math.max(1, running.size)) * 1000).toFixed(2)} ms/pod)`);
  console.log(`  server CPU s by thread: ${serverThreads}`);
  console.log(`  this process (hollow nodes + driver) CPU s by thread: ${ownThreads}`);
  line('  events sent / dropped', `${sim.events.sent}/${sim.events.dropped}`);
  line('peak RSS of the hollow-node process', gib(peakRss), '< 2 GiB');
  line('heap used now', gib(process.memoryUsage().heapUsed));
  if (errors.length) console.log(`first errors:\n  ${errors.join('\n  ')}`);
  counter.stop();
  if (watchEnded.length > 0) console.log(`the counting watch ended early: ${watchEnded.join('; ')}`);
} finally {
  clearInterval(rssTimer);
  sim.stop();
  simClient.close();
  benchClient.close();
  await server.stop();
  removeDir(server.dataDir);
}
