import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkPayloadPath, writeAtomically, type Payload } from './atomic-writer.ts';

const file = (s: string, mode = 0o644) => ({ data: Buffer.from(s), mode });

test('writes files behind ..data and swaps versions with one rename', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-aw-'));
  try {
    const v1: Payload = new Map([['a', file('1')], ['sub/b', file('2', 0o400)]]);
    assert.equal(writeAtomically(dir, v1), true);
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), '1');
    assert.equal(readFileSync(join(dir, 'sub', 'b'), 'utf8'), '2');
    assert.equal(statSync(join(dir, 'sub', 'b')).mode & 0o777, 0o400);
    assert.ok(lstatSync(join(dir, 'a')).isSymbolicLink());
    assert.equal(readlinkSync(join(dir, 'a')), '..data/a');
    const first = readlinkSync(join(dir, '..data'));
    assert.match(first, /^\.\.\d{4}_\d\d_\d\d_/);

    // Same contents: nothing written.
    assert.equal(writeAtomically(dir, new Map(v1)), false);
    assert.equal(readlinkSync(join(dir, '..data')), first);

    // New version: a changed, sub removed, c added; the old version dir is gone.
    assert.equal(writeAtomically(dir, new Map([['a', file('1b')], ['c', file('3')]])), true);
    assert.equal(readFileSync(join(dir, 'a'), 'utf8'), '1b');
    assert.equal(readFileSync(join(dir, 'c'), 'utf8'), '3');
    assert.deepEqual(readdirSync(dir).filter((e) => !e.startsWith('..')).sort(), ['a', 'c']);
    assert.equal(readdirSync(dir).filter((e) => e.startsWith('..2')).length, 1);
    assert.notEqual(readlinkSync(join(dir, '..data')), first);

    // A payload that cannot be written (a file where a directory must go) leaves the current version alone.
    const before = readlinkSync(join(dir, '..data'));
    assert.throws(() => writeAtomically(dir, new Map([['x', file('1')], ['x/y', file('2')]])));
    assert.equal(readlinkSync(join(dir, '..data')), before);
    assert.equal(readdirSync(dir).filter((e) => e.startsWith('..2')).length, 1, 'no half-written version left');

    // A mode change alone is a change.
    assert.equal(writeAtomically(dir, new Map([['a', file('1b', 0o600)], ['c', file('3')]])), true);
    assert.equal(statSync(join(dir, 'a')).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('payload paths may not escape the volume', () => {
  assert.equal(checkPayloadPath('a/./b'), 'a/b');
  assert.throws(() => checkPayloadPath('/etc/passwd'), /must be a relative path/);
  assert.throws(() => checkPayloadPath('a/../../x'), /must not contain '\.\.'/);
  assert.throws(() => checkPayloadPath('..data'), /must not start with '\.\.'/);
});
