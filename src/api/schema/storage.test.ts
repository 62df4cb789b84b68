import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { storageTypes } from './storage.ts';
import type { FieldDef } from './types.ts';

function fieldOf(typeName: string, name: string): FieldDef {
  const t = storageTypes.find((x) => x.name === `io.k8s.api.storage.v1.${typeName}`);
  assert.ok(t, `type ${typeName} exists`);
  const f = t.fields.find((x) => x.name === name);
  assert.ok(f, `${typeName}.${name} exists`);
  return f;
}

describe('storage.k8s.io/v1 schema', () => {
  it('uses the proto tags of generated.proto', () => {
    assert.equal(fieldOf('StorageClass', 'provisioner').protoTag, 2);
    assert.equal(fieldOf('StorageClass', 'volumeBindingMode').protoTag, 7);
    assert.equal(fieldOf('StorageClass', 'allowedTopologies').protoTag, 8);
    assert.equal(fieldOf('StorageClass', 'provisioner').required, true);
    assert.equal(fieldOf('StorageClass', 'mountOptions').listType, 'atomic');
  });
});
