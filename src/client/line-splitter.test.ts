import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from './line-splitter.ts';

test('splits lines across chunk boundaries, including inside a multi-byte character', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  const bytes = Buffer.from('{"a":1}\n{"b":"é€"}\n\n{"c":3}');
  for (let i = 0; i < bytes.length; i += 3) s.push(bytes.subarray(i, i + 3));
  assert.deepEqual(lines, ['{"a":1}', '{"b":"é€"}']);
  s.end();
  assert.deepEqual(lines, ['{"a":1}', '{"b":"é€"}', '{"c":3}']);
});

test('many lines in one chunk', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  s.push(Buffer.from('1\n2\n3\n4'));
  s.push(Buffer.from('5\n'));
  assert.deepEqual(lines, ['1', '2', '3', '45']);
});
