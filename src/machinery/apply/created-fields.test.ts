// A create with no managedFields sent takes its own path (created-fields.ts):
// one walk that writes fieldsV1 directly. It must give byte for byte what the
// general path gives, for realistic objects of several kinds and for odd
// values where the schema expects others (nulls, empty maps and lists,
// strings for structs, list items without their key, duplicates).

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../api/meta.ts';
import { kinds, metadata, w, type Kind } from './test-objects.ts';
import { updateManagedFields, updateManagedFieldsGeneral, type UpdateParams } from './update-managed-fields.ts';

const seed = Number(process.env['FAST_CHECK_SEED'] ?? 42);

function managedFieldsOf(track: (p: UpdateParams) => void, kind: Kind, obj: KubeObject, reset: boolean): string {
  const updated = structuredClone(obj);
  track({ old: undefined, updated, manager: 'creator', typeName: kind.typeName, apiVersion: kind.apiVersion, now: '2026-01-01T00:00:00Z', ...(reset ? { resetFields: [['status']] } : {}) });
  return JSON.stringify(updated.metadata);
}

describe('the create path', () => {
  it('gives the managedFields of the general path, byte for byte', () => {
    const input = fc.integer({ min: 0, max: kinds.length - 1 }).chain((k) => fc.tuple(fc.constant(k), kinds[k]!.body, metadata, fc.boolean(), w(fc.constant('v1'))));
    fc.assert(
      fc.property(input, ([k, body, meta, resetAnyway, apiVersion]) => {
        const kind = kinds[k]!;
        const obj = { apiVersion, kind: kind.kind, ...body, metadata: meta } as KubeObject;
        const reset = kind.resetStatus || resetAnyway;
        assert.equal(managedFieldsOf(updateManagedFields, kind, obj, reset), managedFieldsOf(updateManagedFieldsGeneral, kind, obj, reset));
      }),
      { seed, numRuns: 3000 },
    );
  });

  it('owns nested empty maps and lists, but not a top-level spec that is empty', () => {
    const obj: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: {} }, data: {}, spec: {} };
    updateManagedFields({ old: undefined, updated: obj, manager: 'm', typeName: 'io.k8s.api.core.v1.ConfigMap', apiVersion: 'v1', now: 'T' });
    assert.deepEqual(obj.metadata.managedFields?.[0]?.fieldsV1, { 'f:data': {}, 'f:metadata': { 'f:labels': {} } });
  });

  it('writes no managedFields when nothing is owned', () => {
    const obj: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'u', managedFields: [] }, status: { phase: 'Pending' } };
    updateManagedFields({ old: undefined, updated: obj, manager: 'm', typeName: 'io.k8s.api.core.v1.Pod', apiVersion: 'v1', now: 'T', resetFields: [['status']] });
    assert.equal('managedFields' in obj.metadata, false);
  });
});
