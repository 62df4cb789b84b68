// Slow start: run `fn` `count` times in batches of 1, 2, 4, … so a template the
// API server rejects costs one failed call, not hundreds.

export type SlowStartResult = { succeeded: number; errors: unknown[] };

/**
 * Calls fn in doubling batches (each batch concurrently) until `count` calls
 * are made or a batch has an error; the calls never started are
 * `count - succeeded - errors.length`.
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: (i: number) => Promise<void>): Promise<SlowStartResult> {
  let remaining = count;
  let succeeded = 0;
  let index = 0;
  const errors: unknown[] = [];
  for (let batch = Math.min(remaining, Math.max(1, initialBatchSize)); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn(index++)));
    for (const r of results) {
      if (r.status === 'fulfilled') succeeded++;
      else errors.push(r.reason);
    }
    if (errors.length > 0) break;
    remaining -= batch;
  }
  return { succeeded, errors };
}
