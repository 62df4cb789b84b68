import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { withoutTrailingSlashes } from './server.ts';

test('trailing slashes go as the regex took them, a lone / stays', () => {
  const general = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);
  for (const p of ['/', '', '//', '///', '/api/', '/api//', '/api/v1/pods', '/a/b//c/']) assert.equal(withoutTrailingSlashes(p), general(p), p);
  fc.assert(fc.property(fc.stringMatching(/^[/a-z%]*$/), (p) => withoutTrailingSlashes(p) === general(p)));
});
