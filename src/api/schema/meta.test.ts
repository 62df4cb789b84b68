import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../install.ts';
import { meta } from './build.ts';
import { lookupType } from './index.ts';
import { metaTypes } from './meta.ts';
import type { FieldDef } from './types.ts';

function fieldOf(type: string, name: string): FieldDef {
  const f = lookupType(meta(type))?.fields.find((x) => x.name === name);
  assert.ok(f, `${type}.${name} is declared`);
  return f;
}

describe('meta/v1 schema', () => {
  it('registers every type under its meta/v1 OpenAPI name', () => {
    for (const t of metaTypes) {
      assert.match(t.name, /^io\.k8s\.apimachinery\.pkg\.apis\.meta\.v1\.[A-Z]\w+$/);
      assert.equal(lookupType(t.name), t);
    }
  });

  it('uses the generated.proto field numbers', () => {
    const expected: [string, string, number][] = [
      ['ObjectMeta', 'name', 1], ['ObjectMeta', 'namespace', 3], ['ObjectMeta', 'uid', 5], ['ObjectMeta', 'resourceVersion', 6],
      ['ObjectMeta', 'creationTimestamp', 8], ['ObjectMeta', 'labels', 11], ['ObjectMeta', 'annotations', 12],
      ['ObjectMeta', 'ownerReferences', 13], ['ObjectMeta', 'finalizers', 14], ['ObjectMeta', 'managedFields', 17],
      ['ListMeta', 'continue', 3], ['ListMeta', 'remainingItemCount', 4],
      ['OwnerReference', 'apiVersion', 5], ['OwnerReference', 'kind', 1], ['OwnerReference', 'uid', 4], ['OwnerReference', 'blockOwnerDeletion', 7],
      ['ManagedFieldsEntry', 'fieldsType', 6], ['ManagedFieldsEntry', 'fieldsV1', 7], ['ManagedFieldsEntry', 'subresource', 8],
      ['DeleteOptions', 'propagationPolicy', 4], ['DeleteOptions', 'ignoreStoreReadErrorWithClusterBreakingPotential', 6],
      ['StatusDetails', 'uid', 6], ['StatusDetails', 'causes', 4], ['Status', 'code', 6],
    ];
    for (const [type, name, tag] of expected) assert.equal(fieldOf(type, name).protoTag, tag, `${type}.${name}`);
  });

  it('carries the patch and apply metadata of ObjectMeta lists', () => {
    const owners = fieldOf('ObjectMeta', 'ownerReferences');
    assert.equal(owners.patchStrategy, 'merge');
    assert.equal(owners.patchMergeKey, 'uid');
    assert.deepEqual(owners.listMapKeys, ['uid']);
    const finalizers = fieldOf('ObjectMeta', 'finalizers');
    assert.equal(finalizers.patchStrategy, 'merge');
    assert.equal(finalizers.listType, 'set');
    assert.equal(fieldOf('ObjectMeta', 'managedFields').listType, 'atomic');
  });

  it('marks the fields OpenAPI requires', () => {
    for (const n of ['apiVersion', 'kind', 'name', 'uid']) assert.equal(fieldOf('OwnerReference', n).required, true, n);
    assert.equal(fieldOf('LabelSelectorRequirement', 'operator').required, true);
    assert.equal(fieldOf('ObjectMeta', 'name').required, undefined);
  });

  it('types timestamps as time and fieldsV1 as free-form', () => {
    assert.deepEqual(fieldOf('ObjectMeta', 'deletionTimestamp').type, { kind: 'scalar', scalar: 'time' });
    assert.deepEqual(fieldOf('ManagedFieldsEntry', 'fieldsV1').type, { kind: 'scalar', scalar: 'object' });
    assert.deepEqual(fieldOf('ObjectMeta', 'generation').type, { kind: 'scalar', scalar: 'int64' });
  });
});
