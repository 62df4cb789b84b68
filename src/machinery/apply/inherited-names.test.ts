// Map keys and list-map keys named like properties every object inherits
// ("__proto__", "constructor", ...): apply merges, compares and removes them
// as any other key. `obj["__proto__"] = v` would set a prototype and drop the
// key; `obj["constructor"]` on an object without that key finds a function.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../api/meta.ts';
import { applyPatch } from './apply-patch.ts';
import { memberPaths } from './field-set.ts';
import { mergeValues } from './merge.ts';
import { shapeOfType } from './shape.ts';
import { widgetType } from './test-types.ts';
import { compare } from './typed.ts';

const key = fc.constantFrom('a', '__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty');
// Built with Object.fromEntries, as JSON.parse builds them: plain objects with own "__proto__" keys.
const dict = fc.uniqueArray(fc.tuple(key, fc.constantFrom('x', 'y')), { selector: ([k]) => k, maxLength: 4 }).map((e) => Object.fromEntries(e) as Record<string, string>);
const entries = (m: unknown): [string, unknown][] => Object.entries((m ?? {}) as object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const widget = (labels: Record<string, string>, names: string[]): KubeObject => ({
  apiVersion: 'test/v1',
  kind: 'Widget',
  metadata: { name: 'w', labels },
  spec: { containers: names.map((name) => ({ name, image: 'i' })) },
});
const apply = (live: KubeObject | undefined, applied: KubeObject, now: string): KubeObject =>
  applyPatch({ live, applied, manager: 'alice', force: false, typeName: widgetType, apiVersion: 'test/v1', now });

describe('apply with inherited names as keys', () => {
  const names = fc.uniqueArray(key, { maxLength: 3 });

  it('a sole applier ends up with exactly the labels and list items it applied last', () => {
    fc.assert(
      fc.property(dict, names, dict, names, (l1, n1, l2, n2) => {
        const first = apply(undefined, widget(l1, n1), '2026-01-01T00:00:00Z');
        assert.deepEqual(entries(first.metadata.labels), entries(l1));
        const second = apply(first, widget(l2, n2), '2026-01-01T00:01:00Z');
        assert.deepEqual(entries(second.metadata.labels), entries(l2));
        const spec = second['spec'] as { containers?: { name: string }[] };
        assert.deepEqual((spec.containers ?? []).map((c) => c.name), n2);
        const owned = second.metadata.managedFields?.[0]?.fieldsV1 as { 'f:metadata'?: { 'f:labels'?: object } } | undefined;
        assert.deepEqual(Object.keys(owned?.['f:metadata']?.['f:labels'] ?? {}).sort(), Object.keys(l2).map((k) => `f:${k}`).sort());
      }),
    );
  });

  it('mergeValues keeps every key and a null removes only its own', () => {
    const shape = { kind: 'map', values: { kind: 'leaf' } } as const;
    fc.assert(
      fc.property(dict, dict, fc.uniqueArray(key, { maxLength: 2 }), (live, applied, nulls) => {
        const patch: Record<string, unknown> = Object.fromEntries([...Object.entries(applied), ...nulls.map((k) => [k, null])]);
        const want = new Map<string, unknown>(Object.entries(live));
        for (const [k, v] of Object.entries(patch)) v === null ? want.delete(k) : want.set(k, v);
        assert.deepEqual(entries(mergeValues(live, patch, shape)), entries(Object.fromEntries(want)));
      }),
    );
  });

  it('compare reports a key that went away as removed, not as changed', () => {
    const shape = shapeOfType(widgetType);
    fc.assert(
      fc.property(dict, dict, (before, after) => {
        const { changed, removed } = compare(widget(before, []), widget(after, []), shape);
        const labelsOf = (paths: string[][]) => paths.filter((p) => p[1] === 'f:labels' && p.length === 3).map((p) => p[2]!.slice(2)).sort();
        const gone = Object.keys(before).filter((k) => !Object.hasOwn(after, k));
        const differs = Object.keys(after).filter((k) => !Object.hasOwn(before, k) || before[k] !== after[k]);
        assert.deepEqual(labelsOf(memberPaths(removed)), gone.sort());
        assert.deepEqual(labelsOf(memberPaths(changed)), differs.sort());
      }),
    );
  });
});
