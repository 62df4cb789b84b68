import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from './json-patch.ts';
import { StatusError } from '../status.ts';

const code = (fn: () => unknown): number => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected a StatusError, got ${String(e)}`);
    return e.code;
  }
  assert.fail('expected the patch to fail');
};

describe('applyJsonPatch', () => {
  it('adds object members and array elements, "-" appending', () => {
    const doc = { foo: ['bar', 'baz'] };
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'add', path: '/foo/1', value: 'qux' }]), { foo: ['bar', 'qux', 'baz'] });
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'add', path: '/foo/-', value: 'end' }]), { foo: ['bar', 'baz', 'end'] });
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'add', path: '/foo/2', value: 'end' }]), { foo: ['bar', 'baz', 'end'] });
    assert.deepEqual(applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }]), { foo: 'bar', baz: 'qux' });
    assert.deepEqual(applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/foo', value: ['x'] }]), { foo: ['x'] });
  });

  it('removes, replaces, moves and copies', () => {
    const doc = { a: { b: 1, c: [1, 2, 3] }, d: 'x' };
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'remove', path: '/a/c/1' }]), { a: { b: 1, c: [1, 3] }, d: 'x' });
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'replace', path: '/a/b', value: 2 }]), { a: { b: 2, c: [1, 2, 3] }, d: 'x' });
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'replace', path: '/a/c/0', value: 9 }]), { a: { b: 1, c: [9, 2, 3] }, d: 'x' });
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'move', from: '/a/b', path: '/e' }]), { a: { c: [1, 2, 3] }, d: 'x', e: 1 });
    assert.deepEqual(applyJsonPatch(doc, [{ op: 'move', from: '/a/c/0', path: '/a/c/2' }]), { a: { b: 1, c: [2, 3, 1] }, d: 'x' });
    const copied = applyJsonPatch(doc, [{ op: 'copy', from: '/a', path: '/f' }]) as { a: unknown; f: unknown };
    assert.deepEqual(copied.f, doc.a);
    assert.notEqual(copied.f, copied.a, 'a copy must not share structure with its source');
  });

  it('replaces the whole document at the root pointer', () => {
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: [1] }]), [1]);
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '', value: { b: 2 } }]), { b: 2 });
  });

  it('unescapes ~0 and ~1 in pointers', () => {
    const doc = { metadata: { annotations: { 'a/b': 'x', 'm~n': 'y' } } };
    const out = applyJsonPatch(doc, [
      { op: 'replace', path: '/metadata/annotations/a~1b', value: 'X' },
      { op: 'remove', path: '/metadata/annotations/m~0n' },
      { op: 'add', path: '/metadata/annotations/kubectl.kubernetes.io~1restartedAt', value: 'now' },
    ]);
    assert.deepEqual(out, { metadata: { annotations: { 'a/b': 'X', 'kubectl.kubernetes.io/restartedAt': 'now' } } });
  });

  it('passes a matching test and fails the whole patch on a mismatch', () => {
    const doc = { spec: { replicas: 3, tags: ['a', { b: 1 }] } };
    const ok = [
      { op: 'test', path: '/spec/tags', value: ['a', { b: 1 }] },
      { op: 'replace', path: '/spec/replicas', value: 4 },
    ];
    assert.deepEqual(applyJsonPatch(doc, ok), { spec: { replicas: 4, tags: ['a', { b: 1 }] } });
    const bad = [
      { op: 'replace', path: '/spec/replicas', value: 4 },
      { op: 'test', path: '/spec/replicas', value: 3 },
    ];
    assert.equal(code(() => applyJsonPatch(doc, bad)), 422);
    assert.equal(doc.spec.replicas, 3, 'the input is never changed');
  });

  it('never mutates its input', () => {
    const doc = { a: [1, 2], b: { c: 1 } };
    const patch = [{ op: 'add', path: '/b/d', value: { e: [1] } }, { op: 'remove', path: '/a/0' }];
    const before = structuredClone({ doc, patch });
    const out = applyJsonPatch(doc, patch) as { b: { d: { e: number[] } } };
    out.b.d.e.push(2);
    assert.deepEqual({ doc, patch }, before);
  });

  it('answers 422 for operations that cannot apply', () => {
    const doc = { a: { b: 1 }, l: [1, 2] };
    assert.equal(code(() => applyJsonPatch(doc, [{ op: 'remove', path: '/missing' }])), 422);
    assert.equal(code(() => applyJsonPatch(doc, [{ op: 'replace', path: '/a/missing', value: 1 }])), 422);
    assert.equal(code(() => applyJsonPatch(doc, [{ op: 'add', path: '/x/y', value: 1 }])), 422);
    assert.equal(code(() => applyJsonPatch(doc, [{ op: 'add', path: '/l/3', value: 1 }])), 422);
    assert.equal(code(() => applyJsonPatch(doc, [{ op: 'add', path: '/l/01', value: 1 }])), 422);
    assert.equal(code(() => applyJsonPatch(doc, [{ op: 'remove', path: '/l/-' }])), 422);
    assert.equal(code(() => applyJsonPatch(doc, [{ op: 'move', from: '/a', path: '/a/b/c' }])), 422);
    assert.equal(code(() => applyJsonPatch(doc, [{ op: 'copy', from: '/nope', path: '/b' }])), 422);
    assert.equal(code(() => applyJsonPatch(doc, [{ op: 'test', path: '/nope', value: null }])), 422);
  });

  it('answers 400 for a malformed patch document', () => {
    assert.equal(code(() => applyJsonPatch({}, { op: 'add' })), 400);
    assert.equal(code(() => applyJsonPatch({}, [{ op: 'frobnicate', path: '/a' }])), 400);
    assert.equal(code(() => applyJsonPatch({}, [{ op: 'add', path: '/a' }])), 400);
    assert.equal(code(() => applyJsonPatch({}, [{ op: 'add', path: 'a', value: 1 }])), 400);
    assert.equal(code(() => applyJsonPatch({}, [{ op: 'add', path: '/a~2', value: 1 }])), 400);
    assert.equal(code(() => applyJsonPatch({}, [{ op: 'move', path: '/a' }])), 400);
    assert.equal(code(() => applyJsonPatch({}, ['add'])), 400);
  });

  it('is what kubectl rollout undo sends: replace template and annotations', () => {
    const live = { metadata: { annotations: { 'deployment.kubernetes.io/revision': '2' } }, spec: { template: { spec: { containers: [{ name: 'c', image: 'v2' }] } } } };
    const patch = [
      { op: 'replace', path: '/spec/template', value: { spec: { containers: [{ name: 'c', image: 'v1' }] } } },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '1' } },
    ];
    assert.deepEqual(applyJsonPatch(live, patch), {
      metadata: { annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'v1' }] } } },
    });
  });

  it('keeps "__proto__" as a plain key', () => {
    const out = applyJsonPatch({}, JSON.parse('[{"op":"add","path":"/__proto__","value":{"polluted":true}}]')) as object;
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.keys(out), ['__proto__']);
    assert.equal(({} as { polluted?: boolean }).polluted, undefined);
  });
});
