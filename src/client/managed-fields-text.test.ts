import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { withoutManagedFieldsText } from './managed-fields-text.ts';

// Strings that look like the JSON around them: quotes, escapes, braces, the member's own name.
const tricky = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('"managedFields":[', '\\', '\\"', '{"a":[1]}', ']}', 'managedFields', '"object":{', ','),
);
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(null, true, false),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(tricky, fc.constant('managedFields')), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const members = fc.dictionary(fc.oneof(tricky, fc.constantFrom('metadata', 'object', 'managedFields')), value, { maxKeys: 3 });
/** An event whose object's metadata may hold managedFields, anywhere among its members. */
const event = fc
  .record({
    type: fc.constantFrom('ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK'),
    before: members,
    after: members,
    metaBefore: members,
    metaAfter: members,
    managed: fc.option(value, { nil: undefined }),
    objectFirst: fc.boolean(),
  })
  .map(({ type, before, after, metaBefore, metaAfter, managed, objectFirst }) => {
    const metadata = { ...metaBefore, ...(managed === undefined ? {} : { managedFields: managed }), ...metaAfter };
    const object = { ...before, metadata, ...after };
    return objectFirst ? { object, type } : { type, object };
  });

const expected = (text: string): unknown => {
  const ev = JSON.parse(text) as { object?: { metadata?: Record<string, unknown> } };
  const meta = ev.object?.metadata;
  if (typeof meta === 'object' && meta !== null && !Array.isArray(meta)) delete meta['managedFields'];
  return ev;
};

test('cutting managedFields from the text gives what parsing and then deleting them gives', () => {
  fc.assert(
    fc.property(event, (ev) => {
      const text = JSON.stringify(ev);
      assert.deepEqual(JSON.parse(withoutManagedFieldsText(text)), expected(text));
    }),
    { numRuns: 3000 },
  );
});

test('a pod event loses exactly its managedFields; text it cannot read is left as it is', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', managedFields: [{ manager: 'kubelet', fieldsV1: { 'f:status': {} } }], resourceVersion: '5' }, spec: {} };
  const text = JSON.stringify({ type: 'MODIFIED', object: pod });
  const cut = withoutManagedFieldsText(text);
  assert.equal(cut, JSON.stringify({ type: 'MODIFIED', object: { ...pod, metadata: { name: 'p', resourceVersion: '5' } } }));
  const pretty = JSON.stringify({ type: 'MODIFIED', object: pod }, null, 1);
  assert.equal(withoutManagedFieldsText(pretty), pretty);
  for (const bad of ['', '{', '{"type":"X","object":{"metadata":{"managedFields":[', 'not json', '{"object":{"metadata":{"managedFields":"unterminated}}}']) {
    assert.equal(withoutManagedFieldsText(bad), bad);
  }
});
