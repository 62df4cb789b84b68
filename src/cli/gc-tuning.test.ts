import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

// The flag is process-wide, so each case runs in a fresh process: it reports how
// the V8 helper threads were used by a burst of allocation with survivors.
const probe = (cores: number): { tuned: boolean; helperCpu: number } => {
  const script = `
    import { readFileSync, readdirSync } from 'node:fs';
    import { tuneGarbageCollector } from ${JSON.stringify(new URL('./gc-tuning.ts', import.meta.url).pathname)};
    const tuned = tuneGarbageCollector(${cores});
    const keep = [];
    for (let i = 0; i < 2e6; i++) { const o = { a: i, b: [i], c: { d: String(i) } }; if (i % 3 === 0) keep.push(o); if (keep.length > 200000) keep.length = 0; }
    let helperCpu = 0;
    for (const tid of readdirSync('/proc/self/task')) {
      const st = readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
      const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
      const f = st.slice(st.lastIndexOf(') ') + 2).split(' ');
      if (name.startsWith('V8Worker')) helperCpu += Number(f[11]) + Number(f[12]);
    }
    console.log(JSON.stringify({ tuned, helperCpu }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { tuned: boolean; helperCpu: number };
};

test('on two cores or fewer, young-generation collection stays on the main thread; with more it does not', (t) => {
  if (availableParallelism() < 2) {
    t.skip('one core: V8 runs no parallel scavenge task here, so there is nothing to compare');
    return;
  }
  const small = probe(2);
  const big = probe(8);
  assert.equal(small.tuned, true);
  assert.equal(big.tuned, false);
  // Clock ticks of the V8 helper threads (measured here: about 45 with, 2-4 without).
  assert.ok(small.helperCpu * 4 < big.helperCpu, `V8 helpers used ${small.helperCpu} ticks tuned, ${big.helperCpu} untuned`);
});
