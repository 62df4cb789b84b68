import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../api/meta.ts';
import { encodeStored, takeWrite, withResourceVersion, writeDone, writeStarting } from './stored-json.ts';

/** What the general path sends: the object serialized with its resourceVersion as the last key of metadata. */
function general(obj: KubeObject, rv: string): string {
  const copy = { ...obj, metadata: { ...obj.metadata } };
  delete copy.metadata.resourceVersion;
  copy.metadata.resourceVersion = rv;
  return JSON.stringify(copy);
}

const pod = (): KubeObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', resourceVersion: '7', labels: { app: 'web' }, managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': {} } }] },
    spec: { containers: [{ name: 'app', image: 'busybox' }], nodeName: undefined },
    status: { phase: 'Pending' },
  }) as unknown as KubeObject;

test('the stored text is JSON.stringify without the resourceVersion, which moves to the end of metadata', () => {
  const obj = pod();
  const s = encodeStored(obj);
  const { resourceVersion: _rv, ...rest } = pod().metadata;
  assert.equal(s.text, JSON.stringify({ ...pod(), metadata: rest }));
  assert.equal(s.text[s.metadataEnd], '}');
  assert.equal(obj.metadata.resourceVersion, '7');
  assert.deepEqual(Object.keys(obj.metadata).at(-1), 'resourceVersion');
  assert.equal(withResourceVersion(s, '12'), general(obj, '12'));
});

test('odd shapes: empty metadata, metadata not first, keys skipped by JSON, no metadata', () => {
  const cases = [
    { metadata: {} },
    { kind: 'X', spec: { a: [1, { b: null }] }, metadata: { name: 'n' }, fn: () => 1, u: undefined, z: 'last' },
    { '1': 'integer keys first', metadata: { '0': 'x', name: 'n' }, b: true },
  ] as unknown as KubeObject[];
  for (const obj of cases) {
    const s = encodeStored(obj);
    assert.equal(s.text, JSON.stringify(obj));
    assert.equal(withResourceVersion(s, '3'), general(obj, '3'));
  }
  assert.equal(withResourceVersion(encodeStored({ kind: 'X' } as unknown as KubeObject), '3'), undefined);
});

test('any JSON object gives the same text as the general path', () => {
  const json = fc.jsonValue({ maxDepth: 4 });
  fc.assert(
    fc.property(fc.dictionary(fc.string(), json), fc.dictionary(fc.string(), json), fc.dictionary(fc.string(), json), (before, metadata, after) => {
      const obj = JSON.parse(JSON.stringify({ ...before, metadata, ...after })) as KubeObject;
      const s = encodeStored(obj);
      const { resourceVersion: _rv, ...rest } = obj.metadata;
      assert.equal(s.text, JSON.stringify({ ...obj, metadata: rest }));
      assert.equal(withResourceVersion(s, '42'), general(obj, '42'));
    }),
  );
});

test('an in-flight write is taken once, only for the very text it stored, with the object it encodes', () => {
  const obj = pod();
  const s = encodeStored(obj);
  writeStarting('/k', s, obj);
  assert.equal(takeWrite('/k', `${s.text} `), undefined);
  assert.equal(takeWrite('/other', s.text), undefined);
  const taken = takeWrite('/k', s.text);
  assert.equal(taken?.stored, s);
  assert.equal(taken?.object, obj);
  assert.equal(takeWrite('/k', s.text), undefined);
  writeStarting('/k', s, obj);
  const laterObj = { ...pod(), status: { phase: 'Running' } };
  const later = encodeStored(laterObj);
  writeStarting('/k', later, laterObj);
  writeDone('/k', s);
  assert.equal(takeWrite('/k', later.text)?.object, laterObj, 'a later write to the key is kept');
  writeStarting('/k', s, obj);
  writeDone('/k', s);
  assert.equal(takeWrite('/k', s.text), undefined);
});
