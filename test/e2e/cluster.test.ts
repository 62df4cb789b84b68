// Cluster controllers end to end: the real kubectl against `skiff server`
// (its controller manager and scheduler, node timeouts shortened by flags) and
// hollow nodes from two `skiff sim` processes.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { kubectlAvailable, makeKubectl, poll, removeDir, skiffBin, startServer, type RunningServer, ok } from './harness.ts';

let server: RunningServer;
let kubectl: ReturnType<typeof makeKubectl>;
const sims = new Map<string, ChildProcess>();

function startSim(prefix: string, nodes: number): Promise<void> {
  const child = spawn(skiffBin, ['sim', '--kubeconfig', server.kubeconfig, '--nodes', String(nodes), '--prefix', prefix, '--no-events'], { stdio: ['ignore', 'pipe', 'pipe'] });
  sims.set(prefix, child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('hollow nodes registered')) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`skiff sim ${prefix} exited with ${code}:\n${out}`)));
  });
}

const until = <T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> =>
  poll(what, check, { timeoutMs, intervalMs: 250, retryErrors: true, output: () => server.output() });

const json = (args: string[]) => JSON.parse(ok(kubectl([...args, '-o', 'json'])));
const names = (args: string[]) => ok(kubectl([...args, '-o', 'name'])).split('\n').filter(Boolean).sort();

const available = kubectlAvailable();

before(async () => {
  if (!available) return;
  // Hollow nodes renew their Lease every 10 s: 15 s of silence means lost.
  server = await startServer(['--node-monitor-grace-period', '15s', '--node-eviction-rate', '10', '--leader-elect=false']);
  kubectl = makeKubectl(server);
  await Promise.all([startSim('keep-', 2), startSim('lose-', 2)]);
});

after(async () => {
  if (!available) return;
  for (const s of sims.values()) if (s.exitCode === null && s.signalCode === null) s.kill('SIGKILL');
  await server.stop();
  removeDir(server.dataDir);
});

const deployment = (name: string, replicas: number, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: c, image: busybox, ports: [{name: http, containerPort: 8080}]}]
${extra}`;

test('every node gets a podCIDR from 10.42.0.0/16', { skip: !available }, async () => {
  const cidrs = await until('podCIDRs on 4 nodes', () => {
    const list = json(['get', 'nodes']).items as { spec?: { podCIDR?: string } }[];
    return list.length === 4 && list.every((n) => n.spec?.podCIDR) ? list.map((n) => n.spec!.podCIDR!) : undefined;
  });
  assert.equal(new Set(cidrs).size, 4);
  for (const c of cidrs) assert.match(c, /^10\.42\.\d+\.0\/24$/);
});

for (const cascade of ['background', 'foreground', 'orphan'] as const) {
  test(`kubectl delete deployment --cascade=${cascade}`, { skip: !available }, async () => {
    const name = `casc-${cascade}`;
    ok(kubectl(['apply', '-f', '-'], { input: deployment(name, 2) }));
    await until('2 pods', () => names(['get', 'pods', '-l', `app=${name}`]).length === 2);
    const rs = names(['get', 'rs', '-l', `app=${name}`]);
    assert.equal(rs.length, 1);
    const pods = names(['get', 'pods', '-l', `app=${name}`]);
    ok(kubectl(['delete', 'deployment', name, `--cascade=${cascade}`, '--timeout=30s'], { timeoutMs: 40_000 }));
    assert.deepEqual(names(['get', 'deployments', '--field-selector', `metadata.name=${name}`]), []);
    if (cascade === 'orphan') {
      await until('ownerReferences removed', () => {
        const r = json(['get', 'rs', '-l', `app=${name}`]).items[0];
        return r && !r.metadata.ownerReferences;
      });
      assert.deepEqual(names(['get', 'rs', '-l', `app=${name}`]), rs);
      assert.deepEqual(names(['get', 'pods', '-l', `app=${name}`]), pods);
      ok(kubectl(['delete', 'rs', '-l', `app=${name}`]));
    } else {
      // Foreground: kubectl's wait ended only after the dependents went; background: they go soon after.
      if (cascade === 'foreground') assert.deepEqual(names(['get', 'rs', '-l', `app=${name}`]), []);
      await until('replicasets and pods gone', () => names(['get', 'rs,pods', '-l', `app=${name}`]).every((p) => !pods.includes(p) && !rs.includes(p)));
    }
  });
}

test('a Service over 3 running pods lists them in Endpoints and EndpointSlices, and follows scaling', { skip: !available }, async () => {
  ok(kubectl(['apply', '-f', '-'], { input: deployment('shop', 3) }));
  ok(kubectl(['expose', 'deployment', 'shop', '--port', '80', '--target-port', 'http']));
  const counts = () => {
    const ep = json(['get', 'endpoints', 'shop']);
    const ready = (ep.subsets ?? []).flatMap((s: { addresses?: unknown[] }) => s.addresses ?? []).length;
    const slices = json(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=shop']).items as { endpoints?: { conditions: { ready: boolean } }[] }[];
    const sliceReady = slices.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions.ready).length;
    return `${ready}/${sliceReady}`;
  };
  await until('3 endpoints', () => counts() === '3/3');
  assert.match(ok(kubectl(['get', 'endpoints', 'shop'])), /:8080/);
  ok(kubectl(['scale', 'deployment', 'shop', '--replicas=5']));
  await until('5 endpoints', () => counts() === '5/5');
  ok(kubectl(['scale', 'deployment', 'shop', '--replicas=2']));
  await until('2 endpoints', () => counts() === '2/2');
});

test('deleting a namespace with Deployments, Services, ConfigMaps and Secrets removes it all', { skip: !available }, async () => {
  ok(kubectl(['create', 'namespace', 'doomed']));
  ok(kubectl(['apply', '-n', 'doomed', '-f', '-'], { input: deployment('api', 2) }));
  ok(kubectl(['create', '-n', 'doomed', 'service', 'clusterip', 'api', '--tcp=80:8080']));
  ok(kubectl(['create', '-n', 'doomed', 'configmap', 'settings', '--from-literal=a=b']));
  ok(kubectl(['create', '-n', 'doomed', 'secret', 'generic', 'token', '--from-literal=t=s']));
  await until('pods in doomed', () => names(['get', 'pods', '-n', 'doomed']).length === 2);
  await until('default service account', () => kubectl(['get', 'serviceaccount', 'default', '-n', 'doomed']).status === 0);
  ok(kubectl(['delete', 'namespace', 'doomed', '--timeout=40s'], { timeoutMs: 50_000 }));
  const r = kubectl(['get', 'namespace', 'doomed']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /NotFound/);
});

test('hollow nodes that stop go Unknown, are tainted, and their pods move to the other nodes', { skip: !available }, async () => {
  const tolerate = `      tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}]\n`;
  ok(kubectl(['apply', '-f', '-'], { input: deployment('mover', 8, tolerate) }));
  const placed = () => (json(['get', 'pods', '-l', 'app=mover']).items as { metadata: { deletionTimestamp?: string }; spec: { nodeName?: string }; status: { phase?: string } }[]);
  await until('8 running pods', () => placed().filter((p) => p.status.phase === 'Running').length === 8);
  assert.ok(placed().some((p) => p.spec.nodeName?.startsWith('lose-')), 'some pods on the nodes about to be lost');
  sims.get('lose-')!.kill('SIGKILL');
  await until('lost nodes Unknown and tainted', () => {
    const nodes = json(['get', 'nodes']).items as { metadata: { name: string }; spec?: { taints?: { key: string; effect: string }[] }; status: { conditions: { type: string; status: string }[] } }[];
    return nodes
      .filter((n) => n.metadata.name.startsWith('lose-'))
      .every(
        (n) =>
          n.status.conditions.find((c) => c.type === 'Ready')?.status === 'Unknown' &&
          ['NoSchedule', 'NoExecute'].every((e) => n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === e)),
      );
  }, 40_000);
  assert.match(ok(kubectl(['get', 'nodes'])), /lose-\S+\s+NotReady/);
  await until('8 running pods on the remaining nodes', () => {
    const live = placed().filter((p) => !p.metadata.deletionTimestamp && p.status.phase === 'Running');
    return live.length === 8 && live.every((p) => p.spec.nodeName?.startsWith('keep-'));
  }, 40_000);
});
