// A manager's first /status write while nobody owns status takes its own path
// (changed-fields.ts: the changed fields written straight into fieldsV1). It
// must give byte for byte the managedFields of the general path, whatever the
// stored object and the status written.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../api/meta.ts';
import { kinds, metadata } from './test-objects.ts';
import { updateManagedFields, updateManagedFieldsGeneral, type UpdateParams } from './update-managed-fields.ts';

const seed = Number(process.env['FAST_CHECK_SEED'] ?? 42);

test('a first status write gives the managedFields of the general path, byte for byte', () => {
  const input = fc.integer({ min: 0, max: kinds.length - 1 }).chain((k) =>
    fc.tuple(
      fc.constant(k),
      kinds[k]!.body,
      kinds[k]!.body,
      metadata,
      // Whether the create owned status; how the new status is made; who writes it.
      fc.boolean(),
      fc.constantFrom('replace', 'merge', 'same'),
      fc.constantFrom('kubelet', 'creator'),
    ),
  );
  fc.assert(
    fc.property(input, ([k, created, written, meta, createOwnsStatus, how, manager]) => {
      const kind = kinds[k]!;
      const old = { apiVersion: kind.apiVersion, kind: kind.kind, ...created, metadata: { ...meta } } as KubeObject;
      delete old.metadata.managedFields;
      updateManagedFieldsGeneral({ old: undefined, updated: old, manager: 'creator', typeName: kind.typeName, apiVersion: kind.apiVersion, now: 'T0', ...(createOwnsStatus ? {} : { resetFields: [['status']] }) });
      const previous = old['status'];
      const status =
        how === 'same' ? structuredClone(previous) : how === 'merge' && typeof previous === 'object' && typeof written['status'] === 'object' ? { ...previous, ...written['status'] } : written['status'];
      const write = (track: (p: UpdateParams) => void): string => {
        const updated: KubeObject = { ...structuredClone(old), status };
        if (status === undefined) delete updated['status'];
        track({ old: structuredClone(old), updated, manager, typeName: kind.typeName, apiVersion: kind.apiVersion, now: 'T1', subresource: 'status' });
        return JSON.stringify(updated.metadata);
      };
      assert.equal(write(updateManagedFields), write(updateManagedFieldsGeneral));
    }),
    { seed, numRuns: 3000 },
  );
});
