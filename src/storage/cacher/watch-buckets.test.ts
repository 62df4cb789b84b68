import { it } from 'node:test';
import assert from 'node:assert/strict';
import { WatchBuckets } from './watch-buckets.ts';

it('finds exactly the watchers whose prefix covers a key', () => {
  const b = new WatchBuckets<{ prefix: string; id: string }>();
  const ws = [
    { prefix: '', id: 'all' },
    { prefix: '/registry/pods/', id: 'pods' },
    { prefix: '/registry/pods/ns1/', id: 'ns1' },
    { prefix: '/registry/pods/ns10/', id: 'ns10' },
    { prefix: '/registry/pods/ns1/web', id: 'odd' },
  ];
  for (const w of ws) b.add(w);
  const hits = (key: string) => {
    const out: string[] = [];
    b.forEachMatching(key, (w) => out.push(w.id));
    return out.sort();
  };
  assert.deepEqual(hits('/registry/pods/ns1/web-1'), ['all', 'ns1', 'odd', 'pods']);
  assert.deepEqual(hits('/registry/pods/ns10/x'), ['all', 'ns10', 'pods']);
  assert.deepEqual(hits('/registry/services/ns1/x'), ['all']);
  b.delete(ws[4]!);
  b.delete(ws[0]!);
  assert.deepEqual(hits('/registry/pods/ns1/web-1'), ['ns1', 'pods']);
  assert.equal(b.size, 3);
});
