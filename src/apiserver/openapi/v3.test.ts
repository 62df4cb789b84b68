import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { brokens, fixtureGroup, refsIn, t, widgets } from './fixture.ts';
import { buildV3GroupVersion, contentHash, openApiV3Document, openApiV3GroupVersion, openApiV3Root } from './v3.ts';

type Doc = { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, Record<string, unknown>> } };
const smp = 'application/strategic-merge-patch+json';

describe('buildV3GroupVersion', () => {
  const doc = buildV3GroupVersion([widgets]) as unknown as Doc;
  const ns = `/apis/${fixtureGroup}/v1/namespaces/{namespace}/widgets`;

  it('publishes every operation of a namespaced resource with its action and kind', () => {
    assert.equal(doc.openapi, '3.0.0');
    const actions = (path: string) => Object.fromEntries(Object.entries(doc.paths[path] ?? {}).filter(([k]) => k !== 'parameters').map(([m, op]) => [m, op['x-kubernetes-action']]));
    assert.deepEqual(actions(ns), { get: 'list', post: 'post', delete: 'deletecollection' });
    assert.deepEqual(actions(`${ns}/{name}`), { get: 'get', put: 'put', patch: 'patch', delete: 'delete' });
    assert.deepEqual(actions(`${ns}/{name}/status`), { get: 'get', put: 'put', patch: 'patch' });
    assert.deepEqual(actions(`/apis/${fixtureGroup}/v1/widgets`), { get: 'list' });
    assert.deepEqual(actions(`/apis/${fixtureGroup}/v1/watch/namespaces/{namespace}/widgets/{name}`), { get: 'watch' });
    assert.deepEqual(actions(`/apis/${fixtureGroup}/v1/watch/widgets`), { get: 'watchlist' });
    assert.deepEqual(doc.paths[`${ns}/{name}`]?.['patch']?.['x-kubernetes-group-version-kind'], { group: fixtureGroup, kind: 'Widget', version: 'v1' });
    assert.equal(doc.paths[`${ns}/{name}`]?.['get']?.['operationId'], 'readOpenapiTestSkiffIoV1NamespacedWidget');
  });

  it('gives PATCH the query parameters kubectl looks for, and every patch format', () => {
    const patch = doc.paths[`${ns}/{name}`]?.['patch'] as { parameters: { name: string; in: string }[]; requestBody: { content: Record<string, unknown> } };
    for (const name of ['fieldValidation', 'dryRun', 'fieldManager', 'force']) {
      assert.ok(patch.parameters.some((p) => p.name === name && p.in === 'query'), name);
    }
    assert.deepEqual(Object.keys(patch.requestBody.content), ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', smp]);
    const post = doc.paths[ns]?.['post'] as { parameters: { name: string }[]; requestBody: { required: boolean } };
    assert.ok(post.parameters.some((p) => p.name === 'fieldValidation'));
    assert.equal(post.requestBody.required, true);
  });

  it('synthesizes the list kind and resolves every $ref', () => {
    const list = doc.components.schemas[`${t('Widget')}List`];
    assert.deepEqual(list?.['x-kubernetes-group-version-kind'], [{ group: fixtureGroup, kind: 'WidgetList', version: 'v1' }]);
    const listGet = doc.paths[ns]?.['get'] as { responses: Record<string, { content: Record<string, { schema: unknown }> }> };
    assert.deepEqual(listGet.responses['200']?.content['application/json']?.schema, { $ref: `#/components/schemas/${t('Widget')}List` });
    for (const r of refsIn(doc)) {
      assert.ok(r.startsWith('#/components/schemas/'), r);
      assert.ok(doc.components.schemas[r.slice('#/components/schemas/'.length)], `unresolved ${r}`);
    }
    assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Status']);
    assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent']);
  });

  it('does not offer strategic merge patch over incomplete schemas', () => {
    const broken = buildV3GroupVersion([brokens]) as unknown as Doc;
    const patch = broken.paths[`/apis/${fixtureGroup}/v1/brokens/{name}`]?.['patch'] as { requestBody: { content: Record<string, unknown> } };
    assert.equal(smp in patch.requestBody.content, false);
    assert.ok('application/apply-patch+yaml' in patch.requestBody.content);
    assert.equal(broken.paths[`/apis/${fixtureGroup}/v1/brokens`]?.['get']?.['operationId'], 'listOpenapiTestSkiffIoV1Broken');
  });
});

describe('served v3 documents', () => {
  it('lists each group-version with the hash of its document', () => {
    const root = openApiV3Root();
    assert.ok(root.paths['api/v1']);
    assert.ok(root.paths['apis/apps/v1']);
    assert.ok(root.paths['apis/apps']);
    for (const [key, { serverRelativeURL }] of Object.entries(root.paths)) {
      const doc = openApiV3Document(key);
      assert.ok(doc, key);
      assert.equal(serverRelativeURL, `/openapi/v3/${key}?hash=${doc.hash}`);
      assert.equal(doc.hash, contentHash(doc.body));
      assert.match(doc.hash, /^[0-9A-F]{128}$/);
    }
    assert.equal(openApiV3GroupVersion('apps', 'v1'), openApiV3Document('apis/apps/v1'), 'served from one cache');
    assert.equal(openApiV3GroupVersion('nope', 'v1'), undefined);
  });
});
