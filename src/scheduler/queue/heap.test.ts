import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Heap } from './heap.ts';

test('pops in order after any pushes, replacements and deletes', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom('push', 'delete'), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 100 }))), (ops) => {
      const h = new Heap<{ k: string; v: number }>((x) => x.k, (a, b) => a.v < b.v);
      const model = new Map<string, number>();
      for (const [op, k, v] of ops) {
        if (op === 'push') {
          h.push({ k: `k${k}`, v });
          model.set(`k${k}`, v);
        } else {
          h.delete(`k${k}`);
          model.delete(`k${k}`);
        }
      }
      const out: number[] = [];
      for (let x = h.pop(); x; x = h.pop()) out.push(x.v);
      assert.deepEqual(out, [...model.values()].sort((a, b) => a - b));
    }),
  );
});
