import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../api/meta.ts';
import { StatusError } from '../status.ts';
import { applyPatch, type ApplyParams } from './apply-patch.ts';
import { updateManagedFields } from './update-managed-fields.ts';
import { widgetType } from './test-types.ts';

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-01T00:01:00Z';
const T3 = '2026-01-01T00:02:00Z';

function widget(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'test/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default', ...metadata }, spec };
}

function apply(live: KubeObject | undefined, applied: KubeObject, extra: Partial<ApplyParams> = {}): KubeObject {
  return applyPatch({ live, applied, manager: 'alice', force: false, typeName: widgetType, apiVersion: 'test/v1', now: T1, ...extra });
}

function fieldsOf(obj: KubeObject, manager: string): unknown {
  return obj.metadata.managedFields?.find((e) => e.manager === manager)?.fieldsV1;
}

function conflictOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, String(e));
    return e;
  }
  assert.fail('expected a conflict');
}

describe('applyPatch', () => {
  it('creates the object and records the applied fields', () => {
    const out = apply(undefined, widget({ replicas: 2, containers: [{ name: 'web', image: 'nginx' }] }, { labels: { app: 'web' } }));
    assert.equal((out['spec'] as { replicas: number }).replicas, 2);
    assert.deepEqual(out.metadata.managedFields, [
      {
        manager: 'alice',
        operation: 'Apply',
        apiVersion: 'test/v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } },
            'f:replicas': {},
          },
        },
      },
    ]);
  });

  it('re-applying the same configuration changes nothing, not even the time', () => {
    const cfg = widget({ replicas: 2, containers: [{ name: 'web', image: 'nginx' }] });
    const first = apply(undefined, cfg);
    const second = apply(first, cfg, { now: T2 });
    assert.deepEqual(second, first);
  });

  it('removes fields dropped from the applied configuration', () => {
    const first = apply(undefined, widget({ replicas: 2, containers: [{ name: 'web', image: 'nginx' }, { name: 'log', image: 'busybox' }] }, { labels: { app: 'web', tier: 'front' } }));
    const second = apply(first, widget({ containers: [{ name: 'web', image: 'nginx' }] }, { labels: { app: 'web' } }), { now: T2 });
    assert.deepEqual(second['spec'], { containers: [{ name: 'web', image: 'nginx' }] });
    assert.deepEqual(second.metadata.labels, { app: 'web' });
    assert.equal(second.metadata.managedFields?.[0]?.time, T2);
    const third = apply(second, widget({ containers: [{ name: 'web', image: 'nginx' }] }), { now: T3 });
    assert.equal(third.metadata.labels, undefined, 'a map emptied by pruning goes');
  });

  it('keeps fields it no longer applies when they were not applied by it', () => {
    const live = widget({ replicas: 2 });
    updateManagedFields({ old: undefined, updated: live, manager: 'creator', typeName: widgetType, apiVersion: 'test/v1', now: T1 });
    const out = apply(live, widget({ tags: ['a'] }));
    assert.deepEqual(out['spec'], { replicas: 2, tags: ['a'] });
  });

  it('refuses to change a field an Update manager owns, worded like Kubernetes', () => {
    const live = widget({ replicas: 1, command: ['sh'] });
    updateManagedFields({ old: undefined, updated: live, manager: 'kubectl-client-side-apply', typeName: widgetType, apiVersion: 'test/v1', now: T1 });
    const one = conflictOf(() => apply(live, widget({ replicas: 3 })));
    assert.equal(one.code, 409);
    assert.equal(one.reason, 'Conflict');
    assert.equal(one.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using test/v1: .spec.replicas');
    assert.deepEqual(one.status.details, {
      causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using test/v1', field: '.spec.replicas' }],
    });
    const two = conflictOf(() => apply(live, widget({ replicas: 3, command: ['bash'] })));
    assert.equal(
      two.message,
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using test/v1:\n- .spec.command\n- .spec.replicas',
    );
    assert.equal(two.status.details?.causes?.length, 2);
  });

  it('names an applier without apiVersion and sorts managers in the message', () => {
    const a = apply(undefined, widget({ replicas: 1 }), { manager: 'zed' });
    const b = apply(a, widget({ tags: ['x'], replicas: 1 }), { manager: 'amy' });
    const c = apply(b, widget({ command: ['x'] }), { manager: 'bob' });
    const e = conflictOf(() => apply(c, widget({ replicas: 5, command: ['y'] })));
    assert.equal(e.message, 'Apply failed with 3 conflicts: conflicts with "amy":\n- .spec.replicas\nconflicts with "bob":\n- .spec.command\nconflicts with "zed":\n- .spec.replicas');
  });

  it('with force takes the conflicting fields over', () => {
    const live = widget({ replicas: 1, command: ['sh'] });
    updateManagedFields({ old: undefined, updated: live, manager: 'editor', typeName: widgetType, apiVersion: 'test/v1', now: T1 });
    const out = apply(live, widget({ replicas: 3 }), { force: true, now: T2 });
    assert.equal((out['spec'] as { replicas: number }).replicas, 3);
    assert.deepEqual(fieldsOf(out, 'editor'), { 'f:spec': { 'f:command': {} } });
    assert.deepEqual(fieldsOf(out, 'alice'), { 'f:spec': { 'f:replicas': {} } });
    assert.deepEqual(out.metadata.managedFields?.map((e) => e.operation), ['Apply', 'Update']);
  });

  it('shares a field applied with the same value; it stays until both drop it', () => {
    const a = apply(undefined, widget({ replicas: 2, tags: ['a'] }), { manager: 'one' });
    const b = apply(a, widget({ replicas: 2 }), { manager: 'two' });
    assert.deepEqual(fieldsOf(b, 'one'), { 'f:spec': { 'f:replicas': {}, 'f:tags': { 'v:"a"': {} } } });
    assert.deepEqual(fieldsOf(b, 'two'), { 'f:spec': { 'f:replicas': {} } });
    const c = apply(b, widget({ tags: ['a'] }), { manager: 'one' });
    assert.equal((c['spec'] as { replicas: number }).replicas, 2, 'still owned by two');
    const d = apply(c, widget({ command: ['x'] }), { manager: 'two' });
    assert.deepEqual(d['spec'], { tags: ['a'], command: ['x'] });
  });

  it('merges list-maps by key and keeps other appliers\' items', () => {
    const a = apply(undefined, widget({ containers: [{ name: 'web', image: 'nginx:1', args: ['-v'] }] }), { manager: 'one' });
    const b = apply(a, widget({ containers: [{ name: 'log', image: 'busybox' }] }), { manager: 'two' });
    assert.deepEqual(b['spec'], { containers: [{ name: 'web', image: 'nginx:1', args: ['-v'] }, { name: 'log', image: 'busybox' }] });
    const c = apply(b, widget({ containers: [{ name: 'web', image: 'nginx:2' }] }), { manager: 'one' });
    assert.deepEqual(c['spec'], { containers: [{ name: 'web', image: 'nginx:2' }, { name: 'log', image: 'busybox' }] });
    const d = apply(c, widget({ containers: [] }), { manager: 'one' });
    assert.deepEqual(d['spec'], { containers: [{ name: 'log', image: 'busybox' }] });
  });

  it('keys ports by containerPort and protocol, defaulting protocol to TCP', () => {
    const out = apply(undefined, widget({ containers: [{ name: 'web', ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }] }] }));
    const spec = fieldsOf(out, 'alice') as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    const ports = spec['f:spec']?.['f:containers']?.['k:{"name":"web"}']?.['f:ports'];
    assert.deepEqual(Object.keys(ports ?? {}), ['k:{"containerPort":53,"protocol":"UDP"}', 'k:{"containerPort":80,"protocol":"TCP"}']);
  });

  it('treats a strategic-merge list without listType as a list-map', () => {
    const a = apply(undefined, widget({ volumes: [{ name: 'data', path: '/a' }] }), { manager: 'one' });
    const b = apply(a, widget({ volumes: [{ name: 'cache', path: '/b' }] }), { manager: 'two' });
    assert.deepEqual((b['spec'] as { volumes: unknown[] }).volumes, [{ name: 'data', path: '/a' }, { name: 'cache', path: '/b' }]);
  });

  it('keeps a dropped list item another manager still has fields in, with its key', () => {
    const a = apply(undefined, widget({ containers: [{ name: 'web', image: 'nginx:1', args: ['-v'] }] }));
    const edited = structuredClone(a);
    (edited['spec'] as { containers: { image: string }[] }).containers[0]!.image = 'nginx:2';
    updateManagedFields({ old: a, updated: edited, manager: 'kubectl-set', typeName: widgetType, apiVersion: 'test/v1', now: T2 });
    const out = apply(edited, widget({ replicas: 1 }), { now: T3 });
    assert.deepEqual(out['spec'], { containers: [{ name: 'web', image: 'nginx:2' }], replicas: 1 });
  });

  it('lets kubectl take over fields client-side apply set with the same values', () => {
    const cfg = widget({ replicas: 2 });
    const live = structuredClone(cfg);
    live.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(cfg) };
    updateManagedFields({ old: undefined, updated: live, manager: 'kubectl-client-side-apply', typeName: widgetType, apiVersion: 'test/v1', now: T1 });
    const out = apply(live, cfg, { manager: 'kubectl', now: T2 });
    assert.deepEqual(fieldsOf(out, 'kubectl'), { 'f:spec': { 'f:replicas': {} } });
    assert.equal(
      out.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'],
      '{"apiVersion":"test/v1","kind":"Widget","metadata":{"name":"w","namespace":"default"},"spec":{"replicas":2}}\n',
    );
    // Still what the last client-side apply said: the config changing it is the same user's.
    const scaled = apply(live, widget({ replicas: 5 }), { manager: 'kubectl', now: T2 });
    assert.equal((scaled['spec'] as { replicas: number }).replicas, 5);
    // Drifted from it: a real conflict.
    const drifted = structuredClone(live);
    (drifted['spec'] as { replicas: number }).replicas = 3;
    const e = conflictOf(() => apply(drifted, widget({ replicas: 5 }), { manager: 'kubectl', now: T2 }));
    assert.match(e.message, /^Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using test\/v1: \.spec\.replicas$/);
  });

  it('merges set lists as a union of elements each applier owns', () => {
    const a = apply(undefined, widget({ tags: ['a', 'b'] }), { manager: 'one' });
    const b = apply(a, widget({ tags: ['c'] }), { manager: 'two' });
    assert.deepEqual((b['spec'] as { tags: string[] }).tags, ['a', 'b', 'c']);
    const c = apply(b, widget({ tags: ['b'] }), { manager: 'one' });
    assert.deepEqual((c['spec'] as { tags: string[] }).tags, ['b', 'c']);
    const d = apply(c, widget({ tags: [] }), { manager: 'one' });
    const e = apply(d, widget({ tags: [] }), { manager: 'two' });
    assert.deepEqual(e['spec'], { tags: [] }, 'an emptied list the config still names stays');
    assert.equal(e.metadata.managedFields, undefined);
  });

  it('replaces atomic lists, free-form fields and atomic structs whole', () => {
    const a = apply(undefined, widget({ command: ['a', 'b'], config: { x: 1 }, selector: { matchLabels: { app: 'w' } } }), { manager: 'one' });
    assert.deepEqual(fieldsOf(a, 'one'), { 'f:spec': { 'f:command': {}, 'f:config': {}, 'f:selector': {} } });
    const e = conflictOf(() => apply(a, widget({ command: ['c'], config: { y: 2 } }), { manager: 'two' }));
    assert.equal(e.message, 'Apply failed with 2 conflicts: conflicts with "one":\n- .spec.command\n- .spec.config');
    const b = apply(a, widget({ command: ['c'], config: { y: 2 } }), { manager: 'two', force: true });
    assert.deepEqual(b['spec'], { command: ['c'], config: { y: 2 }, selector: { matchLabels: { app: 'w' } } });
  });

  it('does not change the live object it was given', () => {
    const live = apply(undefined, widget({ replicas: 1 }, { labels: { a: 'b' } }));
    const snapshot = structuredClone(live);
    apply(live, widget({ replicas: 4 }), { now: T2 });
    assert.deepEqual(live, snapshot);
  });

  it('does not let creationTimestamp: null erase the live value', () => {
    const live = apply(undefined, widget({ replicas: 1 }));
    live.metadata.creationTimestamp = T1;
    const out = apply(live, widget({ replicas: 1 }, { creationTimestamp: null }), { now: T2 });
    assert.equal(out.metadata.creationTimestamp, T1);
    assert.deepEqual(out, live);
  });

  it('rejects managedFields in the applied configuration', () => {
    const cfg = widget({}, { managedFields: [] });
    assert.throws(() => apply(undefined, cfg), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'metadata.managedFields must be nil');
  });

  it('tracks /status applies under the status subresource only', () => {
    const live = apply(undefined, widget({ replicas: 1 }));
    const out = apply(live, { ...widget({}), status: { ready: 1, conditions: [{ type: 'Ready', status: 'True' }] } }, { manager: 'ctl', subresource: 'status', now: T2 });
    const entry = out.metadata.managedFields?.find((e) => e.manager === 'ctl');
    assert.equal(entry?.subresource, 'status');
    assert.deepEqual(entry?.fieldsV1, { 'f:status': { 'f:conditions': { 'k:{"type":"Ready"}': { '.': {}, 'f:status': {}, 'f:type': {} } }, 'f:ready': {} } });
  });
});

describe('applyPatch properties', () => {
  const config = fc.record(
    {
      labels: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('x', 'y')),
      replicas: fc.integer({ min: 0, max: 3 }),
      tags: fc.uniqueArray(fc.constantFrom('t1', 't2', 't3')),
      containers: fc.uniqueArray(fc.record({ name: fc.constantFrom('web', 'log', 'db'), image: fc.constantFrom('i1', 'i2') }), {
        selector: (c) => c.name,
      }),
      command: fc.array(fc.constantFrom('sh', '-c')),
    },
    { requiredKeys: [] },
  );
  const toWidget = (c: Record<string, unknown>): KubeObject => {
    const { labels, ...spec } = c;
    return widget(spec, labels === undefined ? {} : { labels });
  };
  const dropEmpty = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(dropEmpty);
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const y = dropEmpty(x);
      if (typeof y === 'object' && y !== null && Object.keys(y).length === 0) continue;
      out[k] = y;
    }
    return out;
  };
  const strip = (o: KubeObject): KubeObject => {
    const copy = structuredClone(o);
    delete copy.metadata.managedFields;
    return copy;
  };

  it('a sole applier ends up with exactly its latest configuration', () => {
    fc.assert(
      fc.property(config, config, (a, b) => {
        const first = apply(undefined, toWidget(a));
        const second = apply(first, toWidget(b), { now: T2 });
        const fresh = apply(undefined, toWidget(b), { now: T2 });
        // Empty maps and lists nobody owns may linger, as in Kubernetes: compare without them.
        const norm = (o: KubeObject): unknown => dropEmpty(strip(o));
        assert.deepEqual(norm(second), norm(fresh));
        assert.deepEqual(second.metadata.managedFields?.[0]?.fieldsV1, fresh.metadata.managedFields?.[0]?.fieldsV1);
      }),
    );
  });

  it('re-applying is a no-op', () => {
    fc.assert(
      fc.property(config, (a) => {
        const first = apply(undefined, toWidget(a));
        assert.deepEqual(apply(first, toWidget(a), { now: T2 }), first);
      }),
    );
  });
});
