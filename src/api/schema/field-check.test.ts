import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { array, field, freeForm, int32, keyedList, map, ref, string, type } from './build.ts';
import { registerTypes } from './index.ts';
import { duplicateFields, duplicateFieldsOf, duplicateYamlFields, unknownFields } from './field-check.ts';

const n = (s: string) => `test.fieldcheck.${s}`;
registerTypes([
  type(n('Deployment'), '', [
    field('metadata', 1, ref(n('Meta')), ''),
    field('spec', 2, ref(n('Spec')), ''),
    field('extra', 3, freeForm, ''),
    field('byName', 4, map(ref(n('Container'))), ''),
    field('opaque', 5, ref(n('Opaque')), ''),
  ]),
  type(n('Meta'), '', [field('name', 1, string, ''), field('labels', 11, map(string), '')]),
  type(n('Spec'), '', [field('replicas', 1, int32, ''), field('template', 3, ref(n('Template')), '')]),
  type(n('Template'), '', [field('spec', 2, ref(n('PodSpec')), '')]),
  type(n('PodSpec'), '', [keyedList('containers', 2, n('Container'), 'name', ''), field('args', 3, array(string), '')]),
  type(n('Container'), '', [field('name', 1, string, ''), field('image', 2, string, '')]),
  type(n('Opaque'), '', []),
]);

describe('unknownFields', () => {
  it('reports nothing for a conforming object, ignoring top-level apiVersion and kind', () => {
    const obj = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', labels: { anything: 'goes' } },
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'i' }], args: ['a'] } } },
      extra: { free: { form: true } },
      opaque: { whatever: 1 },
    };
    assert.deepEqual(unknownFields(n('Deployment'), obj), []);
  });

  it('reports paths like Kubernetes, with list indexes', () => {
    const obj = {
      kind: 'Deployment',
      metadata: { name: 'x', nmae: 'y' },
      spec: {
        replicass: 2,
        template: { spec: { containers: [{ name: 'a', image: 'i' }, { name: 'b', imagee: 'i' }] } },
      },
      byName: { web: { name: 'w', port: 80 } },
      status: {},
    };
    assert.deepEqual(unknownFields(n('Deployment'), obj), [
      'unknown field "metadata.nmae"',
      'unknown field "spec.replicass"',
      'unknown field "spec.template.spec.containers[1].imagee"',
      'unknown field "byName.web.port"',
      'unknown field "status"',
    ]);
  });

  it('flags apiVersion and kind below the top level and tolerates wrong shapes', () => {
    const obj = { spec: { kind: 'x', template: 'not an object', replicas: { a: 1 } }, metadata: [] };
    assert.deepEqual(unknownFields(n('Deployment'), obj), ['unknown field "spec.kind"']);
    assert.deepEqual(unknownFields('test.fieldcheck.Nope', { a: 1 }), []);
    assert.deepEqual(unknownFields(n('Deployment'), 'string'), []);
  });
});

describe('duplicateFields', () => {
  it('finds keys repeated in one object, at any depth, once each', () => {
    const text = '{"spec":{"replicas":1,"replicas":2,"template":{"a":[{"x":1,"x":2},{"x":3}]}},"spec2":{"replicas":1},"kind":"A","kind":"B","kind":"C"}';
    assert.deepEqual(duplicateFields(text), ['duplicate field "replicas"', 'duplicate field "x"', 'duplicate field "kind"']);
  });

  it('ignores keys in different objects, string values and escaped quotes', () => {
    assert.deepEqual(duplicateFields('{"a":"\\"b\\":1,","b":{"a":1},"c":["a","a"]}'), []);
    assert.deepEqual(duplicateFields('{"\\u0061":1,"a":2}'), ['duplicate field "a"']);
    assert.deepEqual(duplicateFields('[]'), []);
    assert.deepEqual(duplicateFields(String.raw`{"a\\":"x\\","a\\":"\\\""}`), ['duplicate field "a\\"'], 'even backslash runs end keys');
  });

  it('never throws or hangs on arbitrary text, and agrees with JSON.parse on valid JSON', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => Array.isArray(duplicateFields(s))), { numRuns: 2000 });
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        assert.deepEqual(duplicateFields(JSON.stringify(v)), []);
      }),
      { numRuns: 500 },
    );
  });
});

describe('duplicateFieldsOf', () => {
  // JSON texts written out by hand, so that keys can repeat: objects are lists of
  // pairs over a few keys (escaped spellings and "__proto__" among them), with
  // whitespace anywhere JSON allows it.
  const space = fc.constantFrom('', ' ', '\n ', '\t', '\r\n');
  const key = fc.constantFrom('"a"', '"b"', '"\\u0061"', '"__proto__"', '"a\\\\"', '"x\\"y"', '"c:d"');
  const text: fc.Arbitrary<string> = fc.letrec<{ value: string; object: string; array: string }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom('1', 'null', '"v"', '"a\\\\\\":"', '":"'), tie('object'), tie('array')),
    object: fc
      .array(fc.tuple(space, key, space, space, tie('value'), space), { maxLength: 5 })
      .map((pairs) => `{${pairs.map(([s1, k, s2, s3, v, s4]) => `${s1}${k}${s2}:${s3}${v}${s4}`).join(',')}}`),
    array: fc.array(fc.tuple(space, tie('value')), { maxLength: 3 }).map((xs) => `[${xs.map(([s1, v]) => s1 + v).join(',')}]`),
  })).object;

  it('gives what the scan gives, for the text and its parse', () => {
    fc.assert(
      fc.property(text, (t) => {
        assert.deepEqual(duplicateFieldsOf(t, JSON.parse(t)), duplicateFields(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds a repeat whose first value held keys of its own', () => {
    const t = '{"a":{"x":1,"y":2},"a":{"x":1,"y":2,"z":3}}';
    assert.deepEqual(duplicateFieldsOf(t, JSON.parse(t)), ['duplicate field "a"']);
  });
});

describe('duplicateYamlFields', () => {
  it('reports the line and key of each repeated YAML key', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n  a: "2"\n';
    assert.deepEqual(duplicateYamlFields(text), ['line 7: key "a" already set in map']);
    assert.deepEqual(duplicateYamlFields('a: 1\n---\na: 2\n'), []);
  });
});
