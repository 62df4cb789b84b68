import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.ts';
import { applyPatch } from './apply-patch.ts';
import { updateManagedFields, type UpdateParams } from './update-managed-fields.ts';
import { widgetType } from './test-types.ts';

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-01T00:01:00Z';

function widget(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'test/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default', uid: 'u1', resourceVersion: '7', ...metadata }, spec };
}

function write(old: KubeObject | undefined, updated: KubeObject, extra: Partial<UpdateParams> = {}): KubeObject {
  updateManagedFields({ old, updated, manager: 'kubectl-edit', typeName: widgetType, apiVersion: 'test/v1', now: T1, ...extra });
  return updated;
}

const fieldsOf = (obj: KubeObject, manager: string): unknown => obj.metadata.managedFields?.find((e) => e.manager === manager)?.fieldsV1;

describe('updateManagedFields', () => {
  it('on create owns every set field, maps and list items with their own entry, server fields never', () => {
    const obj = write(undefined, widget({ replicas: 1, containers: [{ name: 'web', image: 'nginx' }], strategy: { rollingUpdate: { maxSurge: '1' } } }, { labels: { app: 'w' } }), {
      manager: 'kubectl-create',
    });
    assert.deepEqual(obj.metadata.managedFields, [
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'test/v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:containers': { '.': {}, 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } },
            'f:replicas': {},
            'f:strategy': { '.': {}, 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {} } },
          },
        },
      },
    ]);
  });

  it('moves changed fields from their applier to the writer and merges the writer\'s entries', () => {
    const applied = applyPatch({ live: undefined, applied: widget({ replicas: 1, command: ['a'] }), manager: 'kubectl', force: false, typeName: widgetType, apiVersion: 'test/v1', now: T1 });
    const scaled = structuredClone(applied);
    (scaled['spec'] as { replicas: number }).replicas = 5;
    write(applied, scaled, { manager: 'scaler', now: T2 });
    assert.deepEqual(fieldsOf(scaled, 'kubectl'), { 'f:spec': { 'f:command': {} } });
    assert.deepEqual(fieldsOf(scaled, 'scaler'), { 'f:spec': { 'f:replicas': {} } });
    const tagged = structuredClone(scaled);
    (tagged['spec'] as { tags: string[] }).tags = ['x'];
    write(scaled, tagged, { manager: 'scaler', now: T2 });
    assert.deepEqual(fieldsOf(tagged, 'scaler'), { 'f:spec': { 'f:replicas': {}, 'f:tags': { '.': {}, 'v:"x"': {} } } });
    assert.equal(tagged.metadata.managedFields?.length, 2);
    assert.deepEqual(tagged.metadata.managedFields?.map((e) => e.manager), ['kubectl', 'scaler']);
  });

  it('leaves managedFields alone when nothing changed, and drops owners of removed fields', () => {
    const created = write(undefined, widget({ replicas: 1, command: ['a'] }));
    const same = structuredClone(created);
    write(created, same, { manager: 'other', now: T2 });
    assert.deepEqual(same.metadata.managedFields, created.metadata.managedFields);
    const trimmed = structuredClone(created);
    delete (trimmed['spec'] as { command?: string[] }).command;
    write(created, trimmed, { manager: 'other', now: T2 });
    assert.deepEqual(fieldsOf(trimmed, 'kubectl-edit'), { 'f:spec': { 'f:replicas': {} } });
    assert.equal(fieldsOf(trimmed, 'other'), undefined);
  });

  it('keeps the stored managedFields when a client sends none or an empty list', () => {
    const created = write(undefined, widget({ replicas: 1 }));
    const next = structuredClone(created);
    next.metadata.managedFields = [];
    write(created, next, { manager: 'x' });
    assert.deepEqual(next.metadata.managedFields, created.metadata.managedFields);
  });

  it('strips managedFields when a client sends [{}]', () => {
    const created = write(undefined, widget({ replicas: 1 }));
    const next = structuredClone(created);
    next.metadata.managedFields = [{}];
    (next['spec'] as { replicas: number }).replicas = 2;
    write(created, next, { manager: 'x' });
    assert.equal(next.metadata.managedFields, undefined);
  });

  it('uses managedFields a client sends with the object as the new baseline', () => {
    const created = write(undefined, widget({ replicas: 1 }));
    const next = structuredClone(created);
    next.metadata.managedFields = [{ manager: 'someone', operation: 'Update', apiVersion: 'test/v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }];
    write(created, next, { manager: 'x' });
    assert.deepEqual(next.metadata.managedFields.map((e) => e.manager), ['someone']);
  });

  it('tracks /status writes under the subresource, and only status', () => {
    const created = write(undefined, widget({ replicas: 1 }));
    const next: KubeObject = { ...structuredClone(created), status: { ready: 1 } };
    (next['spec'] as { replicas: number }).replicas = 9;
    write(created, next, { manager: 'kubelet', subresource: 'status', now: T2 });
    const entry = next.metadata.managedFields?.find((e) => e.manager === 'kubelet');
    assert.equal(entry?.subresource, 'status');
    assert.deepEqual(entry?.fieldsV1, { 'f:status': { 'f:ready': {} } });
    assert.deepEqual(fieldsOf(next, 'kubectl-edit'), { 'f:spec': { 'f:replicas': {} } });
  });

  it('never tracks fields named by resetFields', () => {
    const obj = write(undefined, { ...widget({ replicas: 1 }), status: { ready: 1 } }, { resetFields: [['status']] });
    assert.deepEqual(fieldsOf(obj, 'kubectl-edit'), { 'f:spec': { 'f:replicas': {} } });
  });

  it('folds the oldest of more than ten updaters into ancient-changes', () => {
    let obj = write(undefined, widget({}));
    for (let i = 0; i < 12; i++) {
      const next = structuredClone(obj);
      next.metadata.labels = { ...next.metadata.labels, [`l${i}`]: 'x' };
      write(obj, next, { manager: `m${String(i).padStart(2, '0')}`, now: `2026-01-01T00:00:${String(i + 10)}Z` });
      obj = next;
    }
    const names = obj.metadata.managedFields?.map((e) => e.manager) ?? [];
    assert.equal(names.length, 10, names.join(','));
    assert.equal(names[0], 'ancient-changes');
    assert.equal(names[names.length - 1], 'm11');
    const ancient = obj.metadata.managedFields?.[0]?.fieldsV1 as { 'f:metadata': { 'f:labels': Record<string, unknown> } };
    assert.deepEqual(Object.keys(ancient['f:metadata']['f:labels']), ['.', 'f:l0', 'f:l1', 'f:l2']);
  });
});
