import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/meta.ts';
import { resourceFor } from '../../api/scheme.ts';
import { createComponentContext } from '../../client/component-context.ts';
import { startTestCluster, type TestCluster } from '../../client/testing/test-cluster.ts';
import { realClock } from '../../machinery/clock.ts';
import type { Pod } from '../types.ts';
import { staticPodFrom } from './manifests.ts';
import { StaticPods } from './static-pods.ts';

const pods = resourceFor('', 'v1', 'pods')!;
let cluster: TestCluster;
before(async () => {
  cluster = await startTestCluster();
});
after(async () => {
  await cluster.stop();
});

const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: kube-system
spec:
  containers:
  - name: c
    image: busybox:1.35
`;

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a manifest becomes the kubelet\'s pod: node-suffixed name, stable uid, defaults, config annotations', () => {
  const a = staticPodFrom('/m/web.yaml', manifest, 'n1');
  const b = staticPodFrom('/m/web.yaml', manifest, 'n1');
  assert.ok('pod' in a && 'pod' in b);
  assert.equal(a.pod.metadata.name, 'web-n1');
  assert.equal(a.pod.metadata.namespace, 'kube-system');
  assert.equal(a.pod.metadata.uid, b.pod.metadata.uid);
  assert.equal(a.pod.spec.nodeName, 'n1');
  assert.equal(a.pod.spec.restartPolicy, 'Always');
  assert.equal(a.pod.spec.containers[0]!.imagePullPolicy, 'IfNotPresent');
  assert.equal(a.pod.metadata.annotations?.['kubernetes.io/config.source'], 'file');
  const c = staticPodFrom('/m/web.yaml', manifest.replace('busybox:1.35', 'busybox:1.36'), 'n1');
  assert.ok('pod' in c);
  assert.notEqual(c.pod.metadata.uid, a.pod.metadata.uid);
  const bad = staticPodFrom('/m/x.yaml', 'kind: Service\n', 'n1');
  assert.ok('error' in bad && /must be one Pod/.test(bad.error));
});

test('runs manifests, keeps a mirror pod, recreates a deleted mirror and stops the pod when its manifest goes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-static-'));
  const started: Pod[] = [];
  const stopped: Pod[] = [];
  const ctx = createComponentContext(cluster.newClient(), realClock, () => undefined);
  const sp = new StaticPods({
    dir,
    nodeName: 'n1',
    nodeUid: 'node-uid-1',
    client: ctx.client,
    clock: realClock,
    log: () => undefined,
    kubelet: { handlePod: (p) => started.push(p), handlePodDeleted: (p) => stopped.push(p) },
    scanPeriodMs: 100,
  });
  const inf = ctx.informers.informerFor<KubeObject>(pods, { namespace: 'kube-system' });
  inf.addEventHandler({
    onAdd: (o) => sp.mirrorHandlers.onAdd?.(o as unknown as Pod),
    onUpdate: (a, b) => sp.mirrorHandlers.onUpdate?.(a as unknown as Pod, b as unknown as Pod),
    onDelete: (o) => sp.mirrorHandlers.onDelete?.(o as unknown as Pod),
  });
  ctx.informers.start();
  try {
    writeFileSync(join(dir, 'web.yaml'), manifest);
    sp.start();
    const mirror = await until('mirror pod', async () => {
      const list = await ctx.client.list<KubeObject>(pods, 'kube-system');
      return list.items[0] as unknown as Pod | undefined;
    });
    assert.equal(started.length, 1);
    assert.equal(mirror.metadata.name, 'web-n1');
    assert.ok(mirror.metadata.annotations?.['kubernetes.io/config.mirror']);
    assert.deepEqual(mirror.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid]), [['Node', 'n1', 'node-uid-1']]);
    assert.equal(sp.mirrorFor(started[0]!)?.metadata.uid, mirror.metadata.uid);

    await ctx.client.delete(pods, 'kube-system', 'web-n1');
    const again = await until('mirror recreated', async () => {
      const list = await ctx.client.list<KubeObject>(pods, 'kube-system');
      const p = list.items[0] as unknown as Pod | undefined;
      return p && p.metadata.uid !== mirror.metadata.uid ? p : undefined;
    });
    assert.equal(again.metadata.name, 'web-n1');
    assert.equal(started.length, 1, 'the pod itself was not restarted');

    unlinkSync(join(dir, 'web.yaml'));
    await until('mirror deleted', async () => ((await ctx.client.list<KubeObject>(pods, 'kube-system')).items.length === 0 ? true : undefined));
    assert.equal(stopped.length, 1);
    assert.equal(stopped[0]!.metadata.uid, started[0]!.metadata.uid);
  } finally {
    sp.stop();
    ctx.informers.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
