// `skiff server --disable-agent` plus `skiff sim --nodes 50`, driven by the
// real kubectl: hollow nodes register Ready, run pods, crash-loop them,
// delete them after their grace period, and go stale when the sim is killed.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { kubectlAvailable, makeKubectl, removeDir, skiffBin, startServer, type RunningServer, ok } from './harness.ts';

let server: RunningServer;
let kubectl: ReturnType<typeof makeKubectl>;
let sim: ChildProcess;
let simOutput = '';
const skip = !kubectlAvailable() && 'kubectl is not installed';

async function eventually<T>(what: string, fn: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}\nsim output:\n${simOutput}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const json = (args: string[]) => JSON.parse(ok(kubectl([...args, '-o', 'json'])));

before(async () => {
  if (skip) return;
  server = await startServer();
  kubectl = makeKubectl(server);
  sim = spawn(skiffBin, ['sim', '--kubeconfig', server.kubeconfig, '--nodes', '50', '--zones', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
  sim.stdout!.on('data', (d: Buffer) => (simOutput += d.toString()));
  sim.stderr!.on('data', (d: Buffer) => (simOutput += d.toString()));
});

after(async () => {
  if (skip) return;
  if (sim.exitCode === null && sim.signalCode === null) sim.kill('SIGKILL');
  await server.stop();
  removeDir(server.dataDir);
});

test('50 hollow nodes are Ready, with roles, version and zones', { skip }, async () => {
  await eventually('50 Ready nodes', () => {
    const lines = ok(kubectl(['get', 'nodes', '--no-headers'])).trim().split('\n');
    return lines.length === 50 && lines.every((l) => /^sim-\d+\s+Ready\s+agent\s+\S+\s+v1\.32\.0$/.test(l)) ? lines : undefined;
  });
  const zones = ok(kubectl(['get', 'nodes', '-L', 'topology.kubernetes.io/zone', '--no-headers'])).trim().split('\n').map((l) => l.split(/\s+/).at(-1));
  assert.deepEqual([...new Set(zones)].sort(), ['zone-0', 'zone-1', 'zone-2']);
  const node = json(['get', 'node', 'sim-7']);
  assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.32.0');
  assert.deepEqual(
    node.status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`),
    ['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True'],
  );
  assert.equal(node.status.allocatable.pods, '110');
});

test('a pod bound to a hollow node becomes Running and Ready with an IP', { skip }, async () => {
  ok(kubectl(['run', 'web', '--image=nginx:1.27', '--overrides={"spec":{"nodeName":"sim-3"}}']));
  ok(kubectl(['wait', '--for=condition=Ready', 'pod/web', '--timeout=20s']));
  const pod = json(['get', 'pod', 'web']);
  assert.equal(pod.status.phase, 'Running');
  // From the node's podCIDR (node IPAM assigns one right after registration), else the sim's own range for it.
  const cidr: string = json(['get', 'node', 'sim-3']).spec.podCIDR ?? '10.64.3.0/24';
  assert.match(cidr, /^\d+\.\d+\.\d+\.0\/24$/);
  const prefix = cidr.slice(0, cidr.lastIndexOf('.') + 1);
  assert.ok(pod.status.podIP.startsWith(prefix), `pod IP ${pod.status.podIP} is in ${cidr}`);
  assert.equal(pod.status.containerStatuses[0].ready, true);
  const wide = ok(kubectl(['get', 'pod', 'web', '-o', 'wide', '--no-headers']));
  assert.match(wide, new RegExp(`^web\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+${prefix.replaceAll('.', '\\.')}\\d+\\s+sim-3\\s`));
  const events = ok(kubectl(['get', 'events', '--field-selector', 'involvedObject.name=web', '-o', 'custom-columns=REASON:.reason,SOURCE:.source.component', '--no-headers']));
  for (const r of ['Pulling', 'Pulled', 'Created', 'Started']) assert.match(events, new RegExp(`^${r}\\s+kubelet$`, 'm'));
});

test('a container exiting 1 under restartPolicy Always restarts with back-off: CrashLoopBackOff', { skip }, async () => {
  ok(kubectl(['run', 'crash', '--image=busybox:1.36', '--annotations=sim.skiff.io/exit-code=1', '--annotations=sim.skiff.io/exit-after=500ms', '--overrides={"spec":{"nodeName":"sim-4"}}']));
  const seen: number[] = [];
  const line = await eventually('CrashLoopBackOff after 2 restarts', () => {
    const l = ok(kubectl(['get', 'pod', 'crash', '--no-headers']));
    const restarts = Number(/^crash\s+\S+\s+\S+\s+(\d+)/.exec(l)?.[1] ?? 0);
    if (seen.at(-1) !== restarts) seen.push(restarts);
    return restarts >= 2 && / CrashLoopBackOff /.test(l) ? l : undefined;
  }, 30_000);
  assert.match(line, /^crash\s+0\/1\s+CrashLoopBackOff\s+2 \(\S+ ago\)/);
  assert.ok(seen.length >= 2 && seen.every((n, i) => i === 0 || n > seen[i - 1]!), `restarts increase: ${seen}`);
  const pod = json(['get', 'pod', 'crash']);
  const cs = pod.status.containerStatuses[0];
  assert.equal(cs.state.waiting.reason, 'CrashLoopBackOff');
  assert.match(cs.state.waiting.message, /^back-off 20s restarting failed container=crash pod=crash_default\(/);
  assert.equal(cs.lastState.terminated.exitCode, 1);
  assert.match(ok(kubectl(['describe', 'pod', 'crash'])), /Warning\s+BackOff\s+\S+( \(x\d+ over \S+\))?\s+kubelet\s+Back-off restarting failed container crash in pod crash_default/);
});

test('deleting a pod removes it after its grace period', { skip }, async () => {
  ok(kubectl(['run', 'slow', '--image=nginx:1.27', '--annotations=sim.skiff.io/ignore-sigterm=true', '--overrides={"spec":{"nodeName":"sim-5","terminationGracePeriodSeconds":3}}']));
  ok(kubectl(['wait', '--for=condition=Ready', 'pod/slow', '--timeout=20s']));
  const started = Date.now();
  ok(kubectl(['delete', 'pod', 'slow', '--timeout=20s']));
  const took = Date.now() - started;
  assert.ok(took >= 2500, `deleted after ${took} ms, before the 3 s grace period ran out`);
  assert.ok(took < 10_000, `deleted after ${took} ms`);
  assert.match(kubectl(['get', 'pod', 'slow']).stderr, /NotFound/);
});

test('killing the sim leaves the node leases stale', { skip }, async () => {
  const renewTime = () => json(['get', 'lease', '-n', 'kube-node-lease', 'sim-0']).spec.renewTime as string;
  // Renewed every 10 s while the sim ran (the tests above took longer than that).
  const created = Date.parse(json(['get', 'node', 'sim-0']).metadata.creationTimestamp);
  assert.ok(Date.parse(renewTime()) >= created + 9000, `lease renewed since registration at ${created}: ${renewTime()}`);
  sim.kill('SIGKILL');
  await new Promise((r) => sim.once('exit', r));
  const last = renewTime();
  await new Promise((r) => setTimeout(r, 11_000));
  assert.equal(renewTime(), last, 'no renewal after the sim died');
  const holders = json(['get', 'leases', '-n', 'kube-node-lease']).items.filter((l: { spec: { renewTime: string } }) => Date.parse(l.spec.renewTime) < Date.now() - 10_000);
  assert.equal(holders.length, 50, 'every hollow node lease is older than its renew interval');
});
