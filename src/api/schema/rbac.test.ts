import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rbacTypes } from './rbac.ts';
import type { FieldDef } from './types.ts';

function fieldOf(typeName: string, name: string): FieldDef {
  const t = rbacTypes.find((x) => x.name === `io.k8s.api.rbac.v1.${typeName}`);
  assert.ok(t, `type ${typeName} exists`);
  const f = t.fields.find((x) => x.name === name);
  assert.ok(f, `${typeName}.${name} exists`);
  return f;
}

describe('rbac.authorization.k8s.io/v1 schema', () => {
  it('uses the proto tags of generated.proto', () => {
    assert.equal(fieldOf('ClusterRole', 'aggregationRule').protoTag, 3);
    assert.equal(fieldOf('RoleBinding', 'subjects').protoTag, 2);
    assert.equal(fieldOf('RoleBinding', 'roleRef').protoTag, 3);
    assert.equal(fieldOf('PolicyRule', 'verbs').protoTag, 1);
    assert.equal(fieldOf('PolicyRule', 'nonResourceURLs').protoTag, 5);
    assert.equal(fieldOf('Subject', 'namespace').protoTag, 4);
    assert.equal(fieldOf('RoleRef', 'name').protoTag, 3);
  });

  it('treats rules and subjects as atomic lists and refs as atomic structs', () => {
    for (const [t, f] of [['Role', 'rules'], ['ClusterRole', 'rules'], ['ClusterRoleBinding', 'subjects'], ['PolicyRule', 'resources']] as const) {
      assert.equal(fieldOf(t, f).listType, 'atomic', `${t}.${f}`);
    }
    assert.equal(rbacTypes.find((t) => t.name.endsWith('.Subject'))?.atomic, true);
    assert.equal(fieldOf('ClusterRoleBinding', 'roleRef').required, true);
    assert.equal(fieldOf('PolicyRule', 'verbs').required, true);
  });
});
