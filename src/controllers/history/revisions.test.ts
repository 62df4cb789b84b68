import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceForKind } from '../../api/scheme.ts';
import { startTestCluster, type TestCluster } from '../../client/testing/test-cluster.ts';
import { canonicalJson, ensureRevision, hashRevision, revisionData, templateOf, truncateHistory, type ControllerRevision, type RevisionOwner } from './revisions.ts';

const revs = resourceForKind('apps', 'ControllerRevision')!;
let cluster: TestCluster;
before(async () => (cluster = await startTestCluster()));
after(() => cluster.stop());

const owner = (image: string): RevisionOwner => ({
  obj: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default', uid: 'u-1' } },
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
  labels: { app: 'web' },
});

test('hash is stable under key order and changes with data and collision count', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), '{"a":[{"c":3,"d":2}],"b":1}');
  const d = revisionData(owner('a').template);
  assert.equal(hashRevision(d), hashRevision(JSON.parse(JSON.stringify(d))));
  assert.notEqual(hashRevision(d), hashRevision(revisionData(owner('b').template)));
  assert.notEqual(hashRevision(d), hashRevision(d, 1));
  assert.match(hashRevision(d), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.deepEqual(templateOf({ metadata: {}, data: d }), owner('a').template);
});

test('ensureRevision reuses equal data, creates new revisions, renumbers a rollback', async () => {
  const list = async () => (await cluster.client.list<ControllerRevision>(revs, 'default')).items;
  const r1 = await ensureRevision(cluster.client, owner('a'), [], 0);
  assert.equal(r1.revision.revision, 1);
  assert.equal(r1.revision.metadata.labels?.['controller-revision-hash'], r1.revision.metadata.name?.slice(4));
  const again = await ensureRevision(cluster.client, owner('a'), await list(), 0);
  assert.equal(again.revision.metadata.name, r1.revision.metadata.name);
  const r2 = await ensureRevision(cluster.client, owner('b'), await list(), 0);
  assert.equal(r2.revision.revision, 2);
  const back = await ensureRevision(cluster.client, owner('a'), await list(), 0);
  assert.equal(back.revision.metadata.name, r1.revision.metadata.name);
  assert.equal(back.revision.revision, 3);
  await ensureRevision(cluster.client, owner('c'), await list(), 0);
  await truncateHistory(cluster.client, await list(), new Set([r1.revision.metadata.name!]), 1);
  const left = (await list()).map((r) => r.revision).sort();
  assert.deepEqual(left, [3, 4]);
});
