// Rotation order on the fake runtime (its ReopenContainerLog does nothing; the
// test writes each new log itself): rotations within one second still keep
// the newest files and compress all but the newest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FakeClock } from '../machinery/clock.ts';
import { ContainerLogManager, rotatedLogs } from './container-log-manager.ts';
import { FakeRuntime } from './runtime/fake-runtime.ts';

test('several rotations within one second: the newest files are kept, in order, all but the newest compressed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-logrot-'));
  try {
    const clock = new FakeClock(Date.UTC(2026, 10, 27, 3, 4, 5));
    const manager = new ContainerLogManager(new FakeRuntime({ clock }), clock, () => {}, { maxBytes: 1, maxFiles: 3 });
    const log = join(dir, '0.log');
    for (let gen = 1; gen <= 5; gen++) {
      writeFileSync(log, `gen ${gen}\n`);
      await manager.rotate('c1', log);
    }
    const kept = await rotatedLogs(log);
    assert.deepEqual(kept.map((f) => basename(f)), ['0.log.20261127-030405-3.gz', '0.log.20261127-030405-4']);
    assert.equal(gunzipSync(readFileSync(kept[0]!)).toString(), 'gen 4\n');
    assert.equal(readFileSync(kept[1]!, 'utf8'), 'gen 5\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
