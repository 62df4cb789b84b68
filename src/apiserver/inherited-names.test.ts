// Keys every JavaScript object inherits ("__proto__", "constructor",
// "valueOf", "toString") are ordinary keys to Kubernetes. Through every write
// path they are kept as data, never dropped, never mistaken for a key that is
// there, and invalid only where Kubernetes says so (a label key must start
// with an alphanumeric character).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '../client/testing/test-cluster.ts';

let cluster: TestCluster;

before(async () => {
  cluster = await startTestCluster();
});

after(async () => {
  await cluster.stop();
});

const configMaps = '/api/v1/namespaces/default/configmaps';

// Bodies are written as JSON text: an object literal `{ __proto__: ... }` would set a prototype, not a key.
async function send(method: string, path: string, body?: string, contentType = 'application/json'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${cluster.url}${path}`, { method, headers: { 'content-type': contentType }, ...(body === undefined ? {} : { body }) });
  return { status: res.status, body: await res.json() };
}

/** The own entries of a map, sorted: exactly what a client reads back. */
const entries = (m: unknown): [string, unknown][] => Object.entries(m as object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const inheritedData = '{"__proto__":"p","constructor":"c","valueOf":"v","toString":"t"}';
const expected = (json: string): [string, unknown][] => entries(JSON.parse(json));

test('ConfigMap data keys named like inherited properties survive create, get and list', async () => {
  const created = await send('POST', configMaps, `{"metadata":{"name":"cm-create"},"data":${inheritedData}}`);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual(entries(created.body.data), expected(inheritedData));
  const got = await send('GET', `${configMaps}/cm-create`);
  assert.deepEqual(entries(got.body.data), expected(inheritedData));
  const list = await send('GET', `${configMaps}?fieldSelector=metadata.name=cm-create`);
  assert.equal(list.body.items.length, 1);
  assert.deepEqual(entries(list.body.items[0].data), expected(inheritedData));
});

test('patches of every type set, keep and remove such keys exactly', async () => {
  const patched = '{"__proto__":"p2","valueOf":"v","toString":"t","hasOwnProperty":"h"}';
  const merge = '{"data":{"__proto__":"p2","constructor":null,"hasOwnProperty":"h"}}';
  const jsonPatch = JSON.stringify([
    { op: 'replace', path: '/data/__proto__', value: 'p2' },
    { op: 'remove', path: '/data/constructor' },
    { op: 'add', path: '/data/hasOwnProperty', value: 'h' },
  ]);
  const cases: [string, string, string][] = [
    ['merge', 'application/merge-patch+json', merge],
    ['strategic', 'application/strategic-merge-patch+json', merge],
    ['json', 'application/json-patch+json', jsonPatch],
  ];
  for (const [name, contentType, body] of cases) {
    assert.equal((await send('POST', configMaps, `{"metadata":{"name":"cm-${name}"},"data":${inheritedData}}`)).status, 201);
    const res = await send('PATCH', `${configMaps}/cm-${name}`, body, contentType);
    assert.equal(res.status, 200, `${name}: ${JSON.stringify(res.body)}`);
    assert.deepEqual(entries(res.body.data), expected(patched), name);
    assert.deepEqual(entries((await send('GET', `${configMaps}/cm-${name}`)).body.data), expected(patched), name);
  }
});

test('server-side apply keeps such keys, records them in managedFields and removes the ones it stops applying', async () => {
  const apply = (data: string) =>
    send('PATCH', `${configMaps}/cm-apply?fieldManager=m`, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-apply"},"data":${data}}`, 'application/apply-patch+yaml');
  const first = await apply(inheritedData);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.deepEqual(entries(first.body.data), expected(inheritedData));
  assert.deepEqual(Object.keys(first.body.metadata.managedFields[0].fieldsV1['f:data']).sort(), ['f:__proto__', 'f:constructor', 'f:toString', 'f:valueOf']);

  const second = await apply('{"__proto__":"p2","valueOf":"v"}');
  assert.equal(second.status, 200, JSON.stringify(second.body));
  assert.deepEqual(entries(second.body.data), expected('{"__proto__":"p2","valueOf":"v"}'));

  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-apply\ndata:\n  __proto__: p3\n  constructor: c3\n';
  const third = await send('PATCH', `${configMaps}/cm-apply?fieldManager=m`, yaml, 'application/apply-patch+yaml');
  assert.equal(third.status, 200, JSON.stringify(third.body));
  assert.deepEqual(entries(third.body.data), expected('{"__proto__":"p3","constructor":"c3"}'));
});

test('a "__proto__" label key is rejected on every write path; "constructor" is a valid one', async () => {
  const invalid = '{"__proto__":"z"}';
  const writes: [string, () => Promise<{ status: number; body: any }>][] = [
    ['create', () => send('POST', configMaps, `{"metadata":{"name":"l-create","labels":${invalid}}}`)],
    ['merge', () => send('PATCH', `${configMaps}/l-base`, `{"metadata":{"labels":${invalid}}}`, 'application/merge-patch+json')],
    ['strategic', () => send('PATCH', `${configMaps}/l-base`, `{"metadata":{"labels":${invalid}}}`, 'application/strategic-merge-patch+json')],
    ['json', () => send('PATCH', `${configMaps}/l-base`, '[{"op":"add","path":"/metadata/labels","value":{"__proto__":"z"}}]', 'application/json-patch+json')],
    ['apply', () => send('PATCH', `${configMaps}/l-apply?fieldManager=m`, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"l-apply","labels":${invalid}},"data":{"__proto__":"v"}}`, 'application/apply-patch+yaml')],
  ];
  assert.equal((await send('POST', configMaps, '{"metadata":{"name":"l-base"}}')).status, 201);
  for (const [name, write] of writes) {
    const res = await write();
    assert.equal(res.status, 422, `${name}: ${JSON.stringify(res.body)}`);
    assert.match(res.body.message, /metadata\.labels: Invalid value: "__proto__"/, name);
  }
  assert.equal((await send('GET', `${configMaps}/l-apply`)).status, 404);

  const ok = await send('POST', configMaps, '{"metadata":{"name":"l-ok","labels":{"constructor":"a","toString":"b"}}}');
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.deepEqual(entries(ok.body.metadata.labels), [['constructor', 'a'], ['toString', 'b']]);
  // Selectors on such keys find only the objects that carry them.
  const selected = await send('GET', `${configMaps}?labelSelector=${encodeURIComponent('constructor,!valueOf')}`);
  assert.deepEqual(selected.body.items.map((i: any) => i.metadata.name), ['l-ok']);
});

test('a field selector on an inherited name is an unsupported field (400), not a lookup of Object.prototype', async () => {
  for (const field of ['constructor', '__proto__', 'toString']) {
    const res = await send('GET', `${configMaps}?fieldSelector=${field}%3Dx`);
    assert.equal(res.status, 400, field);
    assert.equal(res.body.message, `field label not supported: ${field}`);
  }
});

test('a strategic merge patch of a pod keeps containers and env items named like inherited properties', async () => {
  const pods = '/api/v1/namespaces/default/pods';
  const env = '[{"name":"__proto__","value":"a"},{"name":"constructor","value":"b"}]';
  const pod = `{"metadata":{"name":"p"},"spec":{"containers":[{"name":"constructor","image":"busybox:1","env":${env}},{"name":"sidecar","image":"busybox:1"}]}}`;
  const created = await send('POST', pods, pod);
  assert.equal(created.status, 201, JSON.stringify(created.body));

  const res = await send('PATCH', `${pods}/p`, '{"spec":{"containers":[{"name":"constructor","image":"busybox:2"}]}}', 'application/strategic-merge-patch+json');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const containers = res.body.spec.containers;
  assert.deepEqual(containers.map((c: any) => [c.name, c.image]), [['constructor', 'busybox:2'], ['sidecar', 'busybox:1']]);
  assert.deepEqual(containers[0].env, JSON.parse(env));
});
