import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { t } from './fixture.ts';
import { SchemaSet } from './schemas.ts';

const c = (n: string) => `#/components/schemas/${n}`;

describe('SchemaSet', () => {
  const set = new SchemaSet('v3');
  assert.equal(set.addType(t('Widget')), true);
  const s = set.sorted();
  const props = (name: string) => (s[name]?.['properties'] ?? {}) as Record<string, Record<string, unknown>>;

  it('marks top-level kinds with their group-version-kind and lists required fields', () => {
    assert.deepEqual(s[t('Widget')]?.['x-kubernetes-group-version-kind'], [{ group: 'openapi-test.skiff.io', kind: 'Widget', version: 'v1' }]);
    assert.deepEqual(s[t('Widget')]?.['required'], ['spec']);
    assert.equal(s[t('Widget')]?.['description'], 'A widget for tests.');
  });

  it('wraps described refs in allOf and maps scalars to types and formats', () => {
    const p = props(t('WidgetSpec'));
    assert.deepEqual(p['selector'], { allOf: [{ $ref: c(t('Selector')) }], description: 'Selector.' });
    assert.deepEqual(p['replicas'], { type: 'integer', format: 'int32', description: 'Count.' });
    assert.deepEqual(p['big'], { type: 'integer', format: 'int64', description: 'Big.' });
    assert.deepEqual(p['ratio'], { type: 'number', format: 'double', description: 'Ratio.' });
    assert.deepEqual(p['on'], { type: 'boolean', description: 'On.' });
    assert.deepEqual(p['blob'], { type: 'string', format: 'byte', description: 'Blob.' });
    assert.deepEqual(p['free'], { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, description: 'Free.' });
    assert.deepEqual(p['mode'], { type: 'string', description: 'Mode.', enum: ['A', 'B'] });
    assert.deepEqual(p['limits'], {
      type: 'object',
      additionalProperties: { $ref: c('io.k8s.apimachinery.pkg.api.resource.Quantity') },
      description: 'Limits.',
    });
  });

  it('publishes the special scalars as named schemas', () => {
    const p = props(t('WidgetSpec'));
    assert.deepEqual(p['cpu'], { allOf: [{ $ref: c('io.k8s.apimachinery.pkg.api.resource.Quantity') }], description: 'CPU.' });
    assert.deepEqual(s['io.k8s.apimachinery.pkg.api.resource.Quantity']?.['oneOf'], [{ type: 'string' }, { type: 'number' }]);
    assert.equal(s['io.k8s.apimachinery.pkg.util.intstr.IntOrString']?.['x-kubernetes-int-or-string'], true);
    assert.equal(s['io.k8s.apimachinery.pkg.apis.meta.v1.Time']?.['format'], 'date-time');
    assert.equal(s['io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime']?.['format'], 'date-time');
    assert.equal(s['io.k8s.apimachinery.pkg.runtime.RawExtension']?.['type'], 'object');
  });

  it('carries patch and apply metadata', () => {
    const p = props(t('WidgetSpec'));
    assert.deepEqual(p['parts'], {
      type: 'array',
      items: { $ref: c(t('Part')) },
      description: 'Parts.',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    });
    assert.equal(p['tags']?.['x-kubernetes-list-type'], 'set');
    assert.equal(s[t('Selector')]?.['x-kubernetes-map-type'], 'atomic');
  });

  it('handles recursive types and sorts properties and schemas', () => {
    assert.deepEqual(props(t('Part'))['children'], { type: 'array', items: { $ref: c(t('Part')) }, description: 'Sub-parts.' });
    const names = Object.keys(s);
    assert.deepEqual(names, [...names].sort());
    const specProps = Object.keys(props(t('WidgetSpec')));
    assert.deepEqual(specProps, [...specProps].sort());
    assert.equal(set.missing.size, 0);
  });

  it('records refs to unregistered types', () => {
    const other = new SchemaSet('v3');
    other.addType(t('Broken'));
    assert.deepEqual([...other.missing], [t('Ghost')]);
  });

  it('keeps $ref siblings in v2 and points at definitions', () => {
    const v2 = new SchemaSet('v2');
    v2.addType(t('WidgetSpec'));
    const p = (v2.sorted()[t('WidgetSpec')]?.['properties'] ?? {}) as Record<string, unknown>;
    assert.deepEqual(p['selector'], { $ref: `#/definitions/${t('Selector')}`, description: 'Selector.' });
    assert.equal(v2.sorted()['io.k8s.apimachinery.pkg.api.resource.Quantity']?.['type'], 'string');
  });
});
