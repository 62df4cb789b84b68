// Property tests: laws the three patch kinds must keep on any input.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyJsonPatch } from './json-patch.ts';
import { applyMergePatch } from './merge-patch.ts';
import { applyStrategicMergePatch } from './strategic-merge.ts';
import { testPod } from './strategic-test-types.ts';
import { cloneJson } from './json-value.ts';

// Names every object inherits: as keys they must stay plain data.
const inherited = fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty');
// JSON documents whose keys are not strategic merge directives ("$…").
const key = fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 6 }).filter((k) => !k.startsWith('$')) }, { weight: 1, arbitrary: inherited });
const { json } = fc.letrec((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.string({ maxLength: 5 }),
    fc.array(tie('json'), { maxLength: 3 }),
    tie('object'),
  ),
  object: fc.dictionary(key, tie('json'), { maxKeys: 4 }),
}));
// fast-check may build objects without a prototype; API objects always have one.
const object = fc.dictionary(key, json, { maxKeys: 5 }).map((o) => cloneJson(o));
const plainJson = json.map((v) => cloneJson(v));

const pointer = (...tokens: (string | number)[]): string =>
  tokens.map((t) => `/${String(t).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');

describe('patch laws', () => {
  it('merge patch: applying {} changes no object', () => {
    fc.assert(fc.property(object, (doc) => assert.deepEqual(applyMergePatch(doc, {}), doc)));
  });

  it('merge patch: applying a patch twice is applying it once', () => {
    fc.assert(
      fc.property(plainJson, fc.oneof(object, plainJson), (doc, patch) => {
        const once = applyMergePatch(doc, patch);
        assert.deepEqual(applyMergePatch(once, patch), once);
      }),
    );
  });

  it('JSON patch: adds of new members and array elements, then removes of the same paths, restore the document', () => {
    fc.assert(
      fc.property(object, fc.dictionary(key, plainJson, { minKeys: 1, maxKeys: 4 }), fc.array(plainJson, { maxLength: 3 }), (doc, extra, inserts) => {
        const fresh = Object.keys(extra).filter((k) => !Object.hasOwn(doc, k));
        const ops: unknown[] = fresh.map((k) => ({ op: 'add', path: pointer(k), value: extra[k] }));
        const list = Object.keys(doc).find((k) => Array.isArray(doc[k]));
        // The i-th insert goes to index i, always within bounds as the array grows.
        if (list !== undefined) inserts.forEach((v, i) => ops.push({ op: 'add', path: pointer(list, i), value: v }));
        const removes = ops.map((op) => ({ op: 'remove', path: (op as { path: string }).path })).reverse();
        const added = applyJsonPatch(doc, ops);
        assert.equal(Object.keys(added as object).length, Object.keys(doc).length + fresh.length);
        assert.deepEqual(applyJsonPatch(added, removes), doc);
        assert.deepEqual(applyJsonPatch(doc, [...ops, ...removes]), doc);
      }),
    );
  });

  it('strategic merge equals merge patch where the schema knows nothing', () => {
    fc.assert(
      fc.property(plainJson, object, (doc, patch) => {
        assert.deepEqual(applyStrategicMergePatch(doc, patch, 'test.patch.v1.Unknown'), applyMergePatch(doc, patch));
      }),
    );
  });

  it('strategic merge of a keyed list does not depend on the order of the patch elements', () => {
    const names: fc.Arbitrary<string> = fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor');
    const container = fc.record({ name: names, image: fc.constantFrom('x', 'y', 'z') }, { requiredKeys: ['name'] });
    const containers = fc.uniqueArray(container, { selector: (c) => c.name, maxLength: 5 });
    fc.assert(
      fc.property(containers, containers, fc.func(fc.integer()), (live, patch, rank) => {
        const shuffled = [...patch].sort((x, y) => rank(x.name) - rank(y.name));
        const run = (p: unknown[]) =>
          (applyStrategicMergePatch({ spec: { containers: live } }, { spec: { containers: p } }, testPod) as { spec: { containers: { name: string }[] } })
            .spec.containers;
        const byName = (list: { name: string }[]) => [...list].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
        const a = run(patch);
        assert.deepEqual(byName(a), byName(run(shuffled)));
        assert.deepEqual(new Set(a.map((c) => c.name)), new Set([...live, ...patch].map((c) => c.name)));
        // Elements only the live list has keep their relative order.
        const touched = new Set(patch.map((c) => c.name));
        const untouched = (list: { name: string }[]) => list.map((c) => c.name).filter((n) => !touched.has(n));
        assert.deepEqual(untouched(a), untouched(live));
      }),
    );
  });
});
