import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { policyTypes } from './policy.ts';
import type { FieldDef } from './types.ts';

function fieldOf(typeName: string, name: string): FieldDef {
  const t = policyTypes.find((x) => x.name === `io.k8s.api.policy.v1.${typeName}`);
  assert.ok(t, `type ${typeName} exists`);
  const f = t.fields.find((x) => x.name === name);
  assert.ok(f, `${typeName}.${name} exists`);
  return f;
}

describe('policy/v1 schema', () => {
  it('uses the proto tags of generated.proto', () => {
    assert.equal(fieldOf('PodDisruptionBudgetSpec', 'maxUnavailable').protoTag, 3);
    assert.equal(fieldOf('PodDisruptionBudgetSpec', 'unhealthyPodEvictionPolicy').protoTag, 4);
    assert.equal(fieldOf('PodDisruptionBudgetStatus', 'conditions').protoTag, 7);
    assert.equal(fieldOf('Eviction', 'deleteOptions').protoTag, 2);
  });

  it('carries the patch metadata and types of the Go types', () => {
    assert.equal(fieldOf('PodDisruptionBudgetSpec', 'selector').patchStrategy, 'replace');
    const c = fieldOf('PodDisruptionBudgetStatus', 'conditions');
    assert.equal(c.patchMergeKey, 'type');
    assert.deepEqual(c.listMapKeys, ['type']);
    assert.deepEqual(fieldOf('PodDisruptionBudgetSpec', 'minAvailable').type, { kind: 'scalar', scalar: 'intOrString' });
    assert.deepEqual(fieldOf('PodDisruptionBudgetStatus', 'disruptedPods').type, { kind: 'map', values: { kind: 'scalar', scalar: 'time' } });
  });
});
