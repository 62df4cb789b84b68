import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../install.ts';
import { appsTypes } from './apps.ts';
import { autoscalingTypes } from './autoscaling.ts';
import { batchTypes } from './batch.ts';
import { coordinationTypes } from './coordination.ts';
import { discoveryTypes } from './discovery.ts';
import { eventsTypes } from './events.ts';
import { lookupType } from './index.ts';
import { policyTypes } from './policy.ts';
import { rbacTypes } from './rbac.ts';
import { schedulingTypes } from './scheduling.ts';
import { storageTypes } from './storage.ts';
import type { FieldDef, FieldType, TypeDef } from './types.ts';

// The cross-group checks for every group outside core live here; each group's
// own test file spot-checks its proto tags and patch metadata.
const mine: readonly TypeDef[] = [
  ...appsTypes,
  ...batchTypes,
  ...coordinationTypes,
  ...discoveryTypes,
  ...eventsTypes,
  ...rbacTypes,
  ...schedulingTypes,
  ...policyTypes,
  ...storageTypes,
  ...autoscalingTypes,
];
const mineByName = new Map(mine.map((t) => [t.name, t]));

function refsOf(t: FieldType): string[] {
  if (t.kind === 'ref') return [t.ref];
  if (t.kind === 'array') return refsOf(t.items);
  if (t.kind === 'map') return refsOf(t.values);
  return [];
}

function fieldOf(typeName: string, name: string): FieldDef {
  const t = lookupType(typeName);
  assert.ok(t, `type ${typeName} is registered`);
  const f = t.fields.find((x) => x.name === name);
  assert.ok(f, `${typeName}.${name} exists`);
  return f;
}

describe('schema of the non-core groups', () => {
  it('registers every type once, under a full OpenAPI name', () => {
    assert.equal(mineByName.size, mine.length, 'no type is defined twice');
    for (const t of mine) {
      assert.match(t.name, /^io\.k8s\.api\.[a-z]+\.v1\.[A-Z][A-Za-z]+$/, t.name);
      assert.equal(lookupType(t.name), t, `${t.name} is in the registry`);
      assert.ok(t.description.length > 0, `${t.name} has a description`);
    }
  });

  it('has no duplicate field names or proto tags within a type', () => {
    for (const t of mine) {
      const names = t.fields.map((f) => f.name);
      assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), [], `duplicate field names in ${t.name}`);
      // Tag 0 marks apiVersion/kind, which live in the protobuf envelope.
      const tags = t.fields.map((f) => f.protoTag).filter((n) => n !== 0);
      assert.deepEqual(tags.filter((n, i) => tags.indexOf(n) !== i), [], `duplicate proto tags in ${t.name}`);
      for (const f of t.fields) {
        assert.ok(f.protoTag > 0 || f.name === 'apiVersion' || f.name === 'kind', `${t.name}.${f.name} has a proto tag`);
        assert.ok(f.description.length > 0, `${t.name}.${f.name} has a description`);
        if (f.patchMergeKey !== undefined) assert.ok(f.patchStrategy?.includes('merge'), `${t.name}.${f.name} merge key without merge`);
      }
    }
  });

  it('gives every top-level kind apiVersion and kind with tag 0 and metadata with tag 1', () => {
    const kinds = mine.filter((t) => t.gvk);
    assert.equal(kinds.length, 19);
    for (const t of kinds) {
      assert.equal(t.name.endsWith(`.${t.gvk?.[0]?.kind}`), true, `${t.name} named after its kind`);
      assert.equal(fieldOf(t.name, 'apiVersion').protoTag, 0);
      assert.equal(fieldOf(t.name, 'kind').protoTag, 0);
      const m = fieldOf(t.name, 'metadata');
      assert.equal(m.protoTag, 1);
      assert.deepEqual(m.type, { kind: 'ref', ref: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' });
    }
  });

  it('resolves every reference inside these groups, and every type is reachable from a kind', () => {
    const reached = new Set<string>();
    const walk = (name: string): void => {
      if (reached.has(name) || !mineByName.has(name)) return;
      reached.add(name);
      for (const f of mineByName.get(name)?.fields ?? []) for (const r of refsOf(f.type)) walk(r);
    };
    for (const t of mine) if (t.gvk) walk(t.name);
    const orphans = mine.map((t) => t.name).filter((n) => !reached.has(n));
    assert.deepEqual(orphans, [], 'types unreachable from any kind');
    const dangling: string[] = [];
    for (const t of mine)
      for (const f of t.fields)
        for (const r of refsOf(f.type)) if (r.startsWith('io.k8s.api.') && !r.startsWith('io.k8s.api.core.') && !mineByName.has(r)) dangling.push(`${t.name}.${f.name} -> ${r}`);
    assert.deepEqual(dangling, []);
  });

  // Fails until the core/v1 and meta/v1 halves of the schema are registered.
  it('resolves every reference to core/v1 and meta/v1 types after install', () => {
    const missing = new Set<string>();
    for (const t of mine) for (const f of t.fields) for (const r of refsOf(f.type)) if (!lookupType(r)) missing.add(r);
    assert.deepEqual([...missing].sort(), [], `unregistered types referenced from the non-core groups: ${[...missing].sort().join(', ')}`);
  });
});

describe('apps/v1 schema', () => {
  const apps = (n: string): string => `io.k8s.api.apps.v1.${n}`;

  it('uses the proto tags of generated.proto', () => {
    const tags: [string, string, number][] = [
      ['DeploymentSpec', 'replicas', 1],
      ['DeploymentSpec', 'template', 3],
      ['DeploymentSpec', 'progressDeadlineSeconds', 9],
      ['DeploymentStatus', 'readyReplicas', 7],
      ['DeploymentStatus', 'collisionCount', 8],
      ['DeploymentCondition', 'lastUpdateTime', 6],
      ['DeploymentCondition', 'lastTransitionTime', 7],
      ['ReplicaSetSpec', 'minReadySeconds', 4],
      ['StatefulSetSpec', 'ordinals', 11],
      ['StatefulSetSpec', 'volumeClaimTemplates', 4],
      ['StatefulSetStatus', 'availableReplicas', 11],
      ['DaemonSetSpec', 'revisionHistoryLimit', 6],
      ['ControllerRevision', 'revision', 3],
    ];
    for (const [t, f, n] of tags) assert.equal(fieldOf(apps(t), f).protoTag, n, `${t}.${f}`);
  });

  it('carries the patch and list metadata of the Go types', () => {
    assert.equal(fieldOf(apps('DeploymentSpec'), 'strategy').patchStrategy, 'retainKeys');
    const c = fieldOf(apps('DeploymentStatus'), 'conditions');
    assert.equal(c.patchStrategy, 'merge');
    assert.equal(c.patchMergeKey, 'type');
    assert.deepEqual(c.listMapKeys, ['type']);
    assert.equal(fieldOf(apps('StatefulSetSpec'), 'volumeClaimTemplates').listType, 'atomic');
    assert.equal(fieldOf(apps('DeploymentSpec'), 'selector').required, true);
    assert.equal(fieldOf(apps('DeploymentSpec'), 'template').required, true);
    assert.equal(fieldOf(apps('ReplicaSetSpec'), 'template').required, undefined);
  });

  it('types scalars as Kubernetes does', () => {
    assert.deepEqual(fieldOf(apps('RollingUpdateDeployment'), 'maxSurge').type, { kind: 'scalar', scalar: 'intOrString' });
    assert.deepEqual(fieldOf(apps('DeploymentStatus'), 'observedGeneration').type, { kind: 'scalar', scalar: 'int64' });
    assert.deepEqual(fieldOf(apps('ControllerRevision'), 'data').type, { kind: 'scalar', scalar: 'rawExtension' });
    assert.deepEqual(fieldOf(apps('StatefulSetSpec'), 'template').type, { kind: 'ref', ref: 'io.k8s.api.core.v1.PodTemplateSpec' });
  });
});
