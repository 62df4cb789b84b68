import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SortedKeys } from './sorted-keys.ts';

const scanAll = (k: SortedKeys, prefix: string, after?: string) => {
  const out: string[] = [];
  k.scan(prefix, after, (key) => {
    out.push(key);
    return true;
  });
  return out;
};

it('matches a sorted-set model under random inserts and removes', () => {
  const key = fc.stringMatching(/^\/[ab]{0,2}\/?[ab]{0,2}$/);
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), key)), key, key, (ops, prefix, after) => {
      const k = new SortedKeys();
      const model = new Set<string>();
      for (const [add, x] of ops) {
        if (add) {
          k.insert(x);
          model.add(x);
        } else {
          k.remove(x);
          model.delete(x);
        }
      }
      const sorted = [...model].sort();
      assert.equal(k.size, model.size);
      const expected = sorted.filter((x) => x.startsWith(prefix) && x > after);
      assert.deepEqual(scanAll(k, prefix, after), expected);
      assert.equal(k.countRange(prefix, after), expected.length);
      assert.deepEqual(scanAll(k, prefix), sorted.filter((x) => x.startsWith(prefix)));
    }),
  );
});

it('stops scanning when the callback returns false', () => {
  const k = new SortedKeys();
  k.reset(['/a/3', '/a/1', '/b/1', '/a/2']);
  const seen: string[] = [];
  k.scan('/a/', undefined, (x) => {
    seen.push(x);
    return seen.length < 2;
  });
  assert.deepEqual(seen, ['/a/1', '/a/2']);
});
