// An acknowledged write survives SIGKILL of the writing process.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStorage } from './sqlite.ts';

const writerScript = new URL('../testing/durable-writer.ts', import.meta.url).pathname;

for (const place of ['event-loop', 'thread'] as const)
it(`every acknowledged write survives kill -9 (commits on the ${place})`, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'skiff-durable-'));
  try {
    const path = join(dir, 'state.db');
    const child = spawn(process.execPath, [writerScript, path, '16', place], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked: string[] = [];
    let partial = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      acked.push(...lines);
      if (acked.length >= 3000 && !child.killed) child.kill('SIGKILL');
    });
    const signal = await exited;
    assert.equal(signal, 'SIGKILL', 'the writer was killed mid-stream, not finished');
    assert.ok(acked.length >= 3000);

    const storage = openSqliteStorage(path, { compactInterval: 0 });
    try {
      const missing: string[] = [];
      for (const key of acked) {
        const kv = await storage.get(key);
        if (kv?.value !== `value-of-${key}`) missing.push(key);
      }
      assert.deepEqual(missing, []);
      const listed = await storage.list('/durable/');
      assert.ok(listed.items.length >= acked.length);
    } finally {
      await storage.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
