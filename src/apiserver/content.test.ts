// Content negotiation and field validation modes over HTTP.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { startTestCluster, type TestCluster } from '../client/testing/test-cluster.ts';

let cluster: TestCluster;
const cms = '/api/v1/namespaces/default/configmaps';

before(async () => {
  cluster = await startTestCluster();
});

after(async () => {
  await cluster.stop();
});

test('a YAML body is accepted and YAML is answered when asked for', async () => {
  const res = await fetch(`${cluster.url}${cms}`, {
    method: 'POST',
    headers: { 'content-type': 'application/yaml', accept: 'application/yaml' },
    body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n',
  });
  assert.equal(res.status, 201);
  assert.match(res.headers.get('content-type') ?? '', /application\/yaml/);
  const obj = parse(await res.text()) as { metadata: { name: string; uid: string }; data: { k: string } };
  assert.equal(obj.metadata.name, 'from-yaml');
  assert.equal(obj.data.k, 'v');
  assert.match(obj.metadata.uid, /^[0-9a-f-]{36}$/);
});

test('fieldValidation: Strict refuses, Warn warns and stores, Ignore is silent', async () => {
  const body = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' }, bogus: 1 });
  const strict = await fetch(`${cluster.url}${cms}?fieldValidation=Strict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body('strict') });
  assert.equal(strict.status, 400);
  assert.match(await strict.text(), /unknown field \\"bogus\\"/);
  const warn = await fetch(`${cluster.url}${cms}?fieldValidation=Warn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body('warn') });
  assert.equal(warn.status, 201);
  assert.match(warn.headers.get('warning') ?? '', /unknown field \\"bogus\\"/);
  const ignore = await fetch(`${cluster.url}${cms}?fieldValidation=Ignore`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body('ignore') });
  assert.equal(ignore.status, 201);
  assert.equal(ignore.headers.get('warning'), null);
  // Unknown fields are dropped, never stored.
  const stored = (await (await fetch(`${cluster.url}${cms}/warn`)).json()) as Record<string, unknown>;
  assert.equal('bogus' in stored, false);
});

test('duplicate JSON keys are refused under Strict', async () => {
  const res = await fetch(`${cluster.url}${cms}?fieldValidation=Strict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","name":"dup2"}}',
  });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /duplicate field \\"name\\"/);
});

test('dryRun=All validates and answers without storing', async () => {
  const res = await fetch(`${cluster.url}${cms}?dryRun=All`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } }),
  });
  assert.equal(res.status, 201);
  assert.equal((await fetch(`${cluster.url}${cms}/dry`)).status, 404);
});

test('a kind that does not match the URL is a 400', async () => {
  const res = await fetch(`${cluster.url}${cms}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' } }),
  });
  assert.equal(res.status, 400);
});

test('unknown groups, versions and resources are 404 Statuses', async () => {
  for (const path of ['/apis/nope/v1/things', '/api/v2/pods', '/api/v1/namespaces/default/gizmos', '/apis/apps/v1beta1/deployments']) {
    const res = await fetch(`${cluster.url}${path}`);
    assert.equal(res.status, 404, path);
    assert.equal(((await res.json()) as { kind: string }).kind, 'Status');
  }
});

test('YAML with an unresolvable alias is a 400, not a 500', async () => {
  for (const body of ['*\0', '*a', 'a: *b\n']) {
    const res = await fetch(`${cluster.url}${cms}`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body });
    assert.equal(res.status, 400, JSON.stringify(body));
  }
});

test('kind or apiVersion that are not strings get a 400 naming them, not a 500', async () => {
  for (const body of [{ kind: { toString: '' } }, { apiVersion: { toString: '' } }, { apiVersion: 7 }, { kind: ['ConfigMap'] }]) {
    const res = await fetch(`${cluster.url}${cms}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 400, JSON.stringify(body));
    const status = (await res.json()) as { kind: string; reason: string; message: string };
    assert.equal(status.kind, 'Status');
    assert.equal(status.reason, 'BadRequest');
    assert.match(status.message, /does not match/);
  }
});
