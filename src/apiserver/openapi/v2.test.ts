import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { brokens, fixtureGroup, refsIn, t, widgets } from './fixture.ts';
import { buildV2, openApiV2 } from './v2.ts';

type Doc = { swagger: string; paths: Record<string, Record<string, Record<string, unknown>>>; definitions: Record<string, Record<string, unknown>> };

describe('buildV2', () => {
  const doc = buildV2([widgets, brokens]) as unknown as Doc;
  const item = `/apis/${fixtureGroup}/v1/namespaces/{namespace}/widgets/{name}`;

  it('is a swagger 2.0 document whose refs all resolve to definitions', () => {
    assert.equal(doc.swagger, '2.0');
    assert.ok(doc.definitions[t('Widget')]);
    for (const r of refsIn(doc)) {
      assert.ok(r.startsWith('#/definitions/'), r);
      assert.ok(doc.definitions[r.slice('#/definitions/'.length)], `unresolved ${r}`);
    }
  });

  it('describes bodies as body parameters and patch formats in consumes', () => {
    const patch = doc.paths[item]?.['patch'] as { consumes: string[]; parameters: Record<string, unknown>[]; 'x-kubernetes-action': string };
    assert.equal(patch['x-kubernetes-action'], 'patch');
    assert.deepEqual(patch.parameters[0], { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } });
    assert.ok(patch.parameters.some((p) => p['name'] === 'fieldValidation' && p['in'] === 'query'));
    // One document for all resources: a gap anywhere withholds strategic merge everywhere.
    assert.equal(patch.consumes.includes('application/strategic-merge-patch+json'), false);
    assert.ok(patch.consumes.includes('application/merge-patch+json'));
    const watch = doc.paths[`/apis/${fixtureGroup}/v1/watch/widgets`]?.['get'] as { produces: string[] };
    assert.ok(watch.produces.includes('application/json;stream=watch'));
  });

  it('offers strategic merge when every schema is known', () => {
    const full = buildV2([widgets]) as unknown as Doc;
    assert.ok((full.paths[item]?.['patch']?.['consumes'] as string[]).includes('application/strategic-merge-patch+json'));
  });

  it('serves the real resources from a cache', () => {
    const body = openApiV2();
    assert.equal(openApiV2(), body);
    const real = JSON.parse(body) as Doc;
    assert.ok(real.paths['/api/v1/namespaces/{namespace}/pods/{name}']);
    assert.ok(real.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status']);
  });
});
