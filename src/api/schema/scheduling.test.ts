import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { schedulingTypes } from './scheduling.ts';
import type { FieldDef } from './types.ts';

function fieldOf(typeName: string, name: string): FieldDef {
  const t = schedulingTypes.find((x) => x.name === `io.k8s.api.scheduling.v1.${typeName}`);
  assert.ok(t, `type ${typeName} exists`);
  const f = t.fields.find((x) => x.name === name);
  assert.ok(f, `${typeName}.${name} exists`);
  return f;
}

describe('scheduling.k8s.io/v1 schema', () => {
  it('uses the proto tags of generated.proto and requires value', () => {
    assert.equal(fieldOf('PriorityClass', 'value').protoTag, 2);
    assert.equal(fieldOf('PriorityClass', 'preemptionPolicy').protoTag, 5);
    assert.equal(fieldOf('PriorityClass', 'value').required, true);
    assert.deepEqual(fieldOf('PriorityClass', 'value').type, { kind: 'scalar', scalar: 'int32' });
  });
});
