// Watch frames: one per object version and event type while its event is
// being delivered, the same bytes whenever they are built again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventFrame, objectJson, recentFrames, rememberJson } from './serialize.ts';

test('a frame is the event line of the object, built once for all its watchers', () => {
  const pod = { kind: 'Pod', metadata: { name: 'a', resourceVersion: '7' } };
  const frame = eventFrame('ADDED', pod);
  assert.equal(frame.toString(), `{"type":"ADDED","object":${JSON.stringify(pod)}}\n`);
  assert.equal(eventFrame('ADDED', pod), frame, 'a second watcher shares the first one’s buffer');
  assert.equal(eventFrame('MODIFIED', pod).toString(), `{"type":"MODIFIED","object":${JSON.stringify(pod)}}\n`);
});

test('a frame uses the JSON a write remembered for its object', () => {
  const pod = { kind: 'Pod', metadata: { name: 'b' } };
  rememberJson(pod, '{"kind":"Pod","metadata":{"name":"b","resourceVersion":"9"}}');
  assert.equal(objectJson(pod), '{"kind":"Pod","metadata":{"name":"b","resourceVersion":"9"}}');
  assert.equal(eventFrame('DELETED', pod).toString(), '{"type":"DELETED","object":{"kind":"Pod","metadata":{"name":"b","resourceVersion":"9"}}}\n');
});

test('only the latest frames are kept; an older one is built again with the same bytes', () => {
  const first = { kind: 'Pod', metadata: { name: 'first' } };
  const frame = eventFrame('MODIFIED', first);
  for (let i = 0; i < recentFrames; i++) eventFrame('MODIFIED', { kind: 'Pod', metadata: { name: `p${i}` } });
  const again = eventFrame('MODIFIED', first);
  assert.notEqual(again, frame, 'the first frame was let go');
  assert.deepEqual(again, frame);
});
