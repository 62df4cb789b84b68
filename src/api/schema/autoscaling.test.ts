import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoscalingTypes } from './autoscaling.ts';
import type { FieldDef } from './types.ts';

function fieldOf(typeName: string, name: string): FieldDef {
  const t = autoscalingTypes.find((x) => x.name === `io.k8s.api.autoscaling.v1.${typeName}`);
  assert.ok(t, `type ${typeName} exists`);
  const f = t.fields.find((x) => x.name === name);
  assert.ok(f, `${typeName}.${name} exists`);
  return f;
}

describe('autoscaling/v1 schema', () => {
  it('uses the proto tags of generated.proto', () => {
    assert.equal(fieldOf('Scale', 'spec').protoTag, 2);
    assert.equal(fieldOf('ScaleSpec', 'replicas').protoTag, 1);
    assert.equal(fieldOf('ScaleStatus', 'selector').protoTag, 2);
    assert.equal(fieldOf('ScaleStatus', 'replicas').required, true);
    assert.deepEqual(fieldOf('ScaleStatus', 'selector').type, { kind: 'scalar', scalar: 'string' });
  });
});
