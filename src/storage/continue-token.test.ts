import { it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeContinue, encodeContinue } from './continue-token.ts';
import { isStorageError, StorageErrorCode } from './interface.ts';
import { prefixEnd } from './key-range.ts';

it('round-trips a continue position and refuses tokens for another prefix or garbage', () => {
  const token = encodeContinue({ revision: 42, lastKey: '/registry/pods/ns/web-1' });
  assert.deepEqual(decodeContinue(token, '/registry/pods/ns/'), { revision: 42, lastKey: '/registry/pods/ns/web-1' });
  const invalid = (e: unknown) => isStorageError(e, StorageErrorCode.InvalidContinue);
  assert.throws(() => decodeContinue(token, '/registry/secrets/'), invalid);
  assert.throws(() => decodeContinue('not base64 json', '/'), invalid);
  assert.throws(() => decodeContinue(Buffer.from('{"v":1,"rv":-1,"start":"/a"}').toString('base64url'), '/'), invalid);
});

it('computes the end of a prefix range', () => {
  assert.equal(prefixEnd('/a/'), '/a0');
  assert.equal(prefixEnd('/a'), '/b');
  assert.equal(prefixEnd(''), undefined);
  assert.equal(prefixEnd('a\uffff'), 'b');
});
