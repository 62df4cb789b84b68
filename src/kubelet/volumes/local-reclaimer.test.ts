import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceForKind } from '../../api/scheme.ts';
import { startTestCluster } from '../../client/testing/test-cluster.ts';
import { FakeClock } from '../../machinery/clock.ts';
import { annLocalPathNode, localPathCleanupFinalizer } from '../../api/persistent-volume.ts';
import { startLocalReclaimer } from './local-reclaimer.ts';

const pvs = resourceForKind('', 'PersistentVolume')!;

test('removes the directories of deleted local-path volumes of this node only, then lets the PV go', async () => {
  const cluster = await startTestCluster();
  const dir = mkdtempSync(join(tmpdir(), 'skiff-reclaim-'));
  const storage = join(dir, 'storage');
  const outside = join(dir, 'precious');
  const logs: string[] = [];
  const reclaimer = startLocalReclaimer({ client: cluster.client, nodeName: 'n1', storagePath: storage, clock: new FakeClock(), log: (l) => logs.push(l), periodMs: 60_000 });
  try {
    const mk = async (name: string, node: string, path: string, claimRef?: { namespace: string; name: string }) => {
      mkdirSync(path, { recursive: true });
      writeFileSync(join(path, 'data'), 'x');
      await cluster.client.create(pvs, undefined, {
        metadata: { name, finalizers: [localPathCleanupFinalizer], annotations: { [annLocalPathNode]: node } },
        spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path, type: 'DirectoryOrCreate' }, ...(claimRef ? { claimRef } : {}) },
      });
      await cluster.client.delete(pvs, undefined, name);
    };
    await mk('mine', 'n1', join(storage, 'pvc-1_default_a'));
    await mk('theirs', 'n2', join(storage, 'pvc-2_default_b'));
    await mk('escape', 'n1', outside);
    // A running pod on n1 still uses the claim of 'busy': its data stays until the pod is gone.
    const pods = resourceForKind('', 'Pod')!;
    await cluster.client.create(pods, 'default', {
      metadata: { name: 'user' },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox:1.35' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'busy-claim' } }] },
    });
    await mk('busy', 'n1', join(storage, 'pvc-3_default_busy-claim'), { namespace: 'default', name: 'busy-claim' });
    assert.equal(await reclaimer.reclaimOnce(), 2);
    assert.ok(existsSync(join(storage, 'pvc-3_default_busy-claim', 'data')), 'data of a claim in use is kept');
    await cluster.client.delete(pods, 'default', 'user', { gracePeriodSeconds: 0 });
    assert.equal(await reclaimer.reclaimOnce(), 1);
    assert.ok(!existsSync(join(storage, 'pvc-3_default_busy-claim')), 'removed once the pod is gone');
    assert.ok(!existsSync(join(storage, 'pvc-1_default_a')), 'own volume data removed');
    assert.ok(existsSync(join(storage, 'pvc-2_default_b')), "another node's volume untouched");
    assert.ok(existsSync(join(outside, 'data')), 'nothing outside the storage path is removed');
    assert.ok(logs.some((l) => l.includes('is not under')));
    // Only 'theirs' still waits for a node; the others wait only for the pv-protection controller (not run here).
    const left = (await cluster.client.list(pvs, undefined)).items.filter((p) => p.metadata.finalizers?.includes(localPathCleanupFinalizer)).map((p) => p.metadata.name);
    assert.deepEqual(left, ['theirs']);
  } finally {
    reclaimer.stop();
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
