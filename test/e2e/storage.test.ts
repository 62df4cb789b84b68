// Persistent volumes end to end with the real kubectl. On a real node: a
// StatefulSet's claim gets a local-path volume, its data outlives the pod,
// and deleting the claim removes the volume and its directory. On hollow
// nodes (skiff sim): the scheduling and binding flow, without containers.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { kubectlAvailable, makeKubectl, poll, removeDir, skiffBin, startServer, type RunningServer } from './harness.ts';
import { nodeSkipReason, startNode, type RunningNode } from './node-harness.ts';

type Kubectl = ReturnType<typeof makeKubectl>;

const until = <T>(what: string, fn: () => T | undefined | false, timeoutMs: number, output: () => string): Promise<T> =>
  poll(what, fn, { timeoutMs, intervalMs: 300, retryErrors: true, output });

function ok(kubectl: Kubectl, args: string[], input?: string): string {
  const r = kubectl(args, input === undefined ? {} : { input });
  assert.equal(r.status, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}\n${r.stdout}`);
  return r.stdout;
}
const json = (kubectl: Kubectl, args: string[]) => JSON.parse(ok(kubectl, [...args, '-o', 'json'])) as Record<string, any>;

function statefulSet(name: string, replicas: number, script: string): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}}
spec:
  serviceName: ${name}
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: app
        image: docker.io/library/busybox:1.35
        command: [sh, -c, '${script}']
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 64Mi}}
`;
}

const realSkip = nodeSkipReason();
if (realSkip) console.log(`# skipping real-node storage e2e: ${realSkip}`);

describe('on a real node', { skip: realSkip }, () => {
  let node: RunningNode;
  const k = (args: string[], input?: string) => ok(node.kubectl, args, input);
  const wait = <T>(what: string, fn: () => T | undefined | false, ms = 45_000) => until(what, fn, ms, () => node.server.output());
  before(async () => {
    node = await startNode();
  });
  after(async () => {
    if (!node) return;
    node.kubectl(['delete', 'statefulset', 'web', '--wait=true', '--timeout=30s']);
    node.kubectl(['delete', 'pod', '-l', 'app=web', '--grace-period=1', '--wait=true', '--timeout=30s']);
    node.kubectl(['delete', 'pvc', '--all', '--wait=true', '--timeout=30s']);
    await node.stop();
  });

  test('a StatefulSet volume on local-path keeps its data across pods; deleting the claim removes it', async () => {
    const sc = k(['get', 'storageclass']);
    assert.match(sc, /^local-path \(default\)\s+skiff\.dev\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+/m);
    // The first pod writes the file; a later one records that it found it.
    k(['apply', '-f', '-'], statefulSet('web', 1, 'if [ -f /data/hello ]; then echo found >> /data/seen; else echo hello > /data/hello; fi; exec sleep 3600'));
    const first = await wait('web-0 Running', () => {
      const p = json(node.kubectl, ['get', 'pod', 'web-0']);
      return p.status?.phase === 'Running' ? p : undefined;
    });
    const pvc = json(node.kubectl, ['get', 'pvc', 'data-web-0']);
    assert.equal(pvc.status.phase, 'Bound');
    assert.equal(pvc.spec.storageClassName, 'local-path');
    assert.equal(pvc.metadata.annotations['volume.kubernetes.io/selected-node'], node.nodeName);
    const pv = json(node.kubectl, ['get', 'pv', pvc.spec.volumeName]);
    assert.equal(pv.spec.claimRef.uid, pvc.metadata.uid);
    assert.deepEqual(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values, [node.nodeName]);
    const dir: string = pv.spec.hostPath.path;
    assert.ok(dir.startsWith(`${node.dataDir}/agent/storage/pvc-`), `volume under the node's storage dir: ${dir}`);
    await wait('the first pod wrote its file', () => existsSync(`${dir}/hello`));

    k(['delete', 'pod', 'web-0', '--grace-period=1', '--wait=true', '--timeout=30s']);
    await wait('a new web-0 Running', () => {
      const p = json(node.kubectl, ['get', 'pod', 'web-0']);
      return p.metadata.uid !== first.metadata.uid && p.status?.phase === 'Running' ? p : undefined;
    });
    await wait('the new pod found the file', () => existsSync(`${dir}/seen`) && readFileSync(`${dir}/seen`, 'utf8') === 'found\n');
    assert.equal(readFileSync(`${dir}/hello`, 'utf8'), 'hello\n');

    // In use by web-0: the claim is only marked for deletion (Terminating), its volume and data stay.
    assert.deepEqual(json(node.kubectl, ['get', 'pvc', 'data-web-0']).metadata.finalizers, ['kubernetes.io/pvc-protection']);
    k(['delete', 'pvc', 'data-web-0', '--wait=false']);
    await new Promise((r) => setTimeout(r, 1000));
    assert.match(k(['get', 'pvc', 'data-web-0']), /^data-web-0\s+Terminating\s+pvc-/m);
    assert.ok(existsSync(`${dir}/hello`), 'the data of a claim in use stays');
    k(['delete', 'statefulset', 'web', '--wait=true', '--timeout=30s']);
    await wait('pods gone', () => json(node.kubectl, ['get', 'pods', '-l', 'app=web']).items.length === 0);
    await wait('the claim gone once no pod uses it', () => node.kubectl(['get', 'pvc', 'data-web-0']).status !== 0);
    await wait('the volume and its directory are removed', () => {
      const left = json(node.kubectl, ['get', 'pv']).items.length;
      return left === 0 && !existsSync(dir);
    });
  });
});

const simSkip = !kubectlAvailable() && 'kubectl is not installed';

describe('on hollow nodes', { skip: simSkip }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  let sim: ChildProcess;
  let simOutput = '';
  const k = (args: string[], input?: string) => ok(kubectl, args, input);
  const wait = <T>(what: string, fn: () => T | undefined | false, ms = 30_000) => until(what, fn, ms, () => `${server.output()}\n--- sim:\n${simOutput}`);
  before(async () => {
    server = await startServer();
    kubectl = makeKubectl(server);
    sim = spawn(skiffBin, ['sim', '--kubeconfig', server.kubeconfig, '--nodes', '3', '--prefix', 'vol-'], { stdio: ['ignore', 'pipe', 'pipe'] });
    sim.stdout!.on('data', (d: Buffer) => (simOutput += d.toString()));
    sim.stderr!.on('data', (d: Buffer) => (simOutput += d.toString()));
  });
  after(async () => {
    if (sim && sim.exitCode === null && sim.signalCode === null) sim.kill('SIGKILL');
    if (server) {
      await server.stop();
      removeDir(server.dataDir);
    }
  });

  test('claims wait for their pod, get a volume on its node, and the pods run there', async () => {
    await wait('3 Ready hollow nodes', () => k(['get', 'nodes', '--no-headers']).trim().split('\n').filter((l) => /\sReady\s/.test(l)).length === 3);
    k(['apply', '-f', '-'], statefulSet('db', 3, 'sleep 3600'));
    const pods = await wait('3 pods Running', () => {
      const items = json(kubectl, ['get', 'pods', '-l', 'app=db']).items as any[];
      return items.length === 3 && items.every((p) => p.status?.phase === 'Running') ? items : undefined;
    });
    const pvcs = json(kubectl, ['get', 'pvc']).items as any[];
    assert.deepEqual(pvcs.map((c) => c.metadata.name).sort(), ['data-db-0', 'data-db-1', 'data-db-2']);
    for (const pod of pods) {
      const claim = pvcs.find((c) => c.metadata.name === `data-${pod.metadata.name}`);
      assert.equal(claim.status.phase, 'Bound');
      assert.equal(claim.metadata.annotations['volume.kubernetes.io/selected-node'], pod.spec.nodeName);
      const pv = json(kubectl, ['get', 'pv', claim.spec.volumeName]);
      assert.deepEqual(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values, [pod.spec.nodeName], 'the pod runs on its volume\'s node');
      assert.equal(pv.status.phase, 'Bound');
      assert.equal(pv.metadata.annotations['skiff.dev/provisioned-by'], 'local-path');
    }
    // A replacement pod goes back to the node that holds its volume.
    const before0 = pods.find((p) => p.metadata.name === 'db-0');
    k(['delete', 'pod', 'db-0', '--grace-period=0', '--force']);
    const again = await wait('db-0 back', () => {
      const p = json(kubectl, ['get', 'pod', 'db-0']);
      return p.metadata.uid !== before0.metadata.uid && p.spec.nodeName ? p : undefined;
    });
    assert.equal(again.spec.nodeName, before0.spec.nodeName);

    const table = k(['get', 'pvc']);
    assert.match(table, /^data-db-0\s+Bound\s+pvc-\S+\s+64Mi\s+RWO\s+local-path\s+/m);
    k(['delete', 'statefulset', 'db']);
    k(['delete', 'pvc', '--all']);
    await wait('provisioned volumes deleted', () => json(kubectl, ['get', 'pv']).items.length === 0);
  });
});
