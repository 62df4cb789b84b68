import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeTemplateHash, templatesEqualIgnoringHash } from './hash.ts';

const t = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'a:1' }], restartPolicy: 'Always' } };

test('the hash is stable, key-order independent, safe-alphabet, and moves with the template and collisionCount', () => {
  const h = computeTemplateHash(t);
  assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  const reordered = { spec: { restartPolicy: 'Always', containers: [{ image: 'a:1', name: 'c' }] }, metadata: { labels: { app: 'web' } } };
  assert.equal(computeTemplateHash(reordered), h);
  assert.equal(computeTemplateHash({ ...t, metadata: { labels: { app: 'web', 'pod-template-hash': 'x' } } }), h);
  assert.notEqual(computeTemplateHash({ ...t, spec: { ...t.spec, restartPolicy: 'Never' } }), h);
  assert.notEqual(computeTemplateHash(t, 1), h);
});

test('templates compare equal ignoring the hash label and Go zero values (kubectl rollout undo)', () => {
  const fromRS = { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } }, spec: t.spec };
  const fromUndo = { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { ...t.spec, securityContext: {} } };
  assert.equal(templatesEqualIgnoringHash(fromRS as never, fromUndo as never), true);
  assert.equal(templatesEqualIgnoringHash(fromRS, { ...fromRS, spec: { ...t.spec, restartPolicy: 'Never' } }), false);
});
