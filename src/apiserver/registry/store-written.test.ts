// The watch cache takes the object a write of this process stored instead of
// parsing the stored text back: what it then holds must be exactly what the
// text says, for creates, PUTs, merge and strategic patches and /status writes.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/meta.ts';
import { resourceFor } from '../../api/scheme.ts';
import { RestClient } from '../../client/rest-client.ts';
import { openSqliteStorage, type SqliteStorage } from '../../storage/sqlite/sqlite.ts';
import { startApiServer, type ApiServer } from '../server.ts';
import { objectJson } from '../serialize.ts';
import { decodeObject } from './store.ts';
import { encodeStored, writeDone, writeStarting } from './stored-json.ts';

const pods = resourceFor('', 'v1', 'pods')!;
let dir: string;
let storage: SqliteStorage;
let api: ApiServer;
let client: RestClient;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-store-written-'));
  storage = openSqliteStorage(join(dir, 'state.db'), { synchronous: 'NORMAL', compactInterval: 0 });
  api = await startApiServer({ storage, port: 0 });
  client = new RestClient({ server: api.url });
});

after(async () => {
  client.close();
  await api.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The watch cache's object for the pod once it reflects `rv`, checked against the stored text. */
async function cachedMatchesStored(name: string, rv: string): Promise<KubeObject> {
  const store = api.registry.store('', 'pods')!;
  await store.cache.waitForRevision(Number(rv), 5000);
  const key = store.key('default', name);
  const entry = store.cache.get(key)!;
  assert.equal(entry.object.metadata.resourceVersion, rv);
  const kv = (await storage.get(key))!;
  const parsed = { ...JSON.parse(kv.value), metadata: { ...JSON.parse(kv.value).metadata, resourceVersion: rv } };
  // Same content, same bytes to watchers, and nothing in it that the JSON leaves out.
  assert.deepEqual(JSON.parse(JSON.stringify(entry.object)), parsed);
  assert.equal(objectJson(entry.object), JSON.stringify(entry.object));
  return entry.object;
}

test('after create, update, patches and status writes the cache holds exactly the stored object', async () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: '10m' } } }] },
  } as unknown as KubeObject;
  const created = await client.create(pods, 'default', pod);
  const afterCreate = await cachedMatchesStored('web', created.metadata.resourceVersion!);
  assert.equal(JSON.stringify(afterCreate), JSON.stringify(created), 'the create answer is what the cache holds');

  const labelled = await client.patch<KubeObject>(pods, 'default', 'web', 'merge', { metadata: { labels: { tier: 'front' } } });
  await cachedMatchesStored('web', labelled.metadata.resourceVersion!);

  const status = await client.patch<KubeObject>(pods, 'default', 'web', 'merge', { status: { phase: 'Running', podIP: '10.0.0.7' } }, { subresource: 'status' });
  const afterStatus = await cachedMatchesStored('web', status.metadata.resourceVersion!);
  // The /status write shares the unchanged spec with the version before it: neither changed.
  assert.deepEqual(afterStatus['spec'], afterCreate['spec']);

  const strategic = await client.patch<KubeObject>(pods, 'default', 'web', 'strategic', {
    metadata: { annotations: { note: 'x' } },
    spec: { activeDeadlineSeconds: 60 },
  });
  await cachedMatchesStored('web', strategic.metadata.resourceVersion!);

  const current = await client.get<KubeObject>(pods, 'default', 'web');
  const put = await client.update(pods, 'default', { ...current, metadata: { ...current.metadata, labels: { app: 'web', v: '2' } } });
  await cachedMatchesStored('web', put.metadata.resourceVersion!);
  assert.deepEqual(afterCreate.metadata.labels, { app: 'web' }, 'the first version in the cache did not change');
});

test("the cache's decode takes an in-flight write's own object, and parses any other text", () => {
  const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: '1' } } as unknown as KubeObject;
  const stored = encodeStored(obj);
  writeStarting('/registry/configmaps/default/c', stored, obj);
  const kv = { key: '/registry/configmaps/default/c', value: stored.text, createRevision: 9, modRevision: 9 };
  const adopted = decodeObject(kv);
  assert.equal(adopted, obj);
  assert.equal(adopted.metadata.resourceVersion, '9');
  assert.equal(objectJson(adopted), JSON.stringify(adopted));
  writeDone(kv.key, stored);
  const parsed = decodeObject(kv);
  assert.notEqual(parsed, obj, 'taken once: the next decode parses');
  assert.deepEqual(parsed, obj);
});
