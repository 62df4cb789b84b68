import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coordinationTypes } from './coordination.ts';
import type { FieldDef } from './types.ts';

function fieldOf(typeName: string, name: string): FieldDef {
  const t = coordinationTypes.find((x) => x.name === `io.k8s.api.coordination.v1.${typeName}`);
  assert.ok(t, `type ${typeName} exists`);
  const f = t.fields.find((x) => x.name === name);
  assert.ok(f, `${typeName}.${name} exists`);
  return f;
}

describe('coordination.k8s.io/v1 schema', () => {
  it('uses the proto tags of generated.proto', () => {
    assert.equal(fieldOf('Lease', 'spec').protoTag, 2);
    assert.equal(fieldOf('LeaseSpec', 'renewTime').protoTag, 4);
    assert.equal(fieldOf('LeaseSpec', 'leaseTransitions').protoTag, 5);
    assert.equal(fieldOf('LeaseSpec', 'preferredHolder').protoTag, 7);
  });

  it('keeps acquire and renew times at microsecond precision', () => {
    assert.deepEqual(fieldOf('LeaseSpec', 'acquireTime').type, { kind: 'scalar', scalar: 'microTime' });
    assert.deepEqual(fieldOf('LeaseSpec', 'renewTime').type, { kind: 'scalar', scalar: 'microTime' });
    assert.deepEqual(fieldOf('LeaseSpec', 'leaseDurationSeconds').type, { kind: 'scalar', scalar: 'int32' });
  });
});
