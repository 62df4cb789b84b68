// Watch frames: one per object version and event type while its event is
// being delivered, the same bytes whenever they are built again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeStored } from './registry/stored-json.ts';
import { eventFrame, objectJson, recentFrames, rememberStored } from './serialize.ts';

test('a frame is the event line of the object, built once for all its watchers', () => {
  const pod = { kind: 'Pod', metadata: { name: 'a', resourceVersion: '7' } };
  const frame = eventFrame('ADDED', pod);
  assert.equal(frame.toString(), `{"type":"ADDED","object":${JSON.stringify(pod)}}\n`);
  assert.equal(eventFrame('ADDED', pod), frame, 'a second watcher shares the first one’s buffer');
  assert.equal(eventFrame('MODIFIED', pod).toString(), `{"type":"MODIFIED","object":${JSON.stringify(pod)}}\n`);
});

test('the JSON of a written object is its stored text with the resourceVersion put back', () => {
  const pod = { kind: 'Pod', metadata: { name: 'b', labels: { app: 'a' } }, spec: { nodeName: 'n' } };
  const stored = encodeStored(pod);
  assert.equal(stored.text, '{"kind":"Pod","metadata":{"name":"b","labels":{"app":"a"}},"spec":{"nodeName":"n"}}');
  rememberStored(pod, stored, '9');
  const json = '{"kind":"Pod","metadata":{"name":"b","labels":{"app":"a"},"resourceVersion":"9"},"spec":{"nodeName":"n"}}';
  assert.equal(objectJson(pod), json, 'built from the stored text, not from the object');
  assert.equal(eventFrame('DELETED', pod).toString(), `{"type":"DELETED","object":${json}}\n`);
});

test('an object without a remembered text is serialized', () => {
  assert.equal(objectJson({ kind: 'Status', code: 404 }), '{"kind":"Status","code":404}');
});

test('only the latest frames are kept; an older one is built again with the same bytes', () => {
  const first = { kind: 'Pod', metadata: { name: 'first' } };
  const frame = eventFrame('MODIFIED', first);
  for (let i = 0; i < recentFrames; i++) eventFrame('MODIFIED', { kind: 'Pod', metadata: { name: `p${i}` } });
  const again = eventFrame('MODIFIED', first);
  assert.notEqual(again, frame, 'the first frame was let go');
  assert.deepEqual(again, frame);
});
