// Log rotation on a real containerd: a container that writes without pause
// has its log renamed and reopened by the runtime (ReopenContainerLog), keeps
// writing into the new file without losing a line, and never leaves more
// than containerLogMaxFiles files (older ones gzipped); removing it removes them all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { realClock } from '../machinery/clock.ts';
import { runTestSandbox, startTestContainer, startTestContainerd, testContainerdMissing } from './containerd/testing/test-containerd.ts';
import { ContainerLogManager, removeContainerLogs, rotatedLogs } from './container-log-manager.ts';

const skip = testContainerdMissing();
if (skip) console.log(`# skipped: ${skip}`);

const size = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
};

async function until(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The numbers of the `line N` entries of CRI log files, in file order. */
const lineNumbers = (files: string[]): number[] =>
  files.flatMap((f) => {
    const bytes = readFileSync(f);
    const text = (f.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    return [...text.matchAll(/ stdout F line (\d+) /g)].map((m) => Number(m[1]));
  });

test('a full log is rotated and reopened: no line lost, at most maxFiles files, all removed with the container', { skip: skip ?? false, timeout: 60_000 }, async () => {
  const tc = await startTestContainerd({ bridge: 'sk-lr', podCIDR: '10.88.6.0/24' });
  try {
    const sb = await runTestSandbox(tc, { name: 'chatty', uid: 'log-rotation-uid' });
    const id = await startTestContainer(tc, sb, 'app', 0, ['sh', '-c', 'i=0; while :; do i=$((i+1)); echo "line $i ........................................................................"; usleep 2000; done']);
    const logPath = join(sb.logDirectory, 'app/0.log');
    assert.equal((await tc.cri.containerStatus(id)).logPath, logPath);

    const logs: string[] = [];
    const manager = new ContainerLogManager(tc.cri, realClock, (l) => logs.push(l), { maxBytes: 8 * 1024, maxFiles: 3 });
    for (let round = 1; round <= 4; round++) {
      await until(`the log to reach 8 KiB (round ${round})`, () => size(logPath) >= 8 * 1024);
      await manager.rotateAll();
      const rotated = await rotatedLogs(logPath);
      assert.equal(rotated.length, Math.min(round, 2), `round ${round}: ${rotated.join(', ')}`);
      // All rotated files but the newest are compressed.
      assert.deepEqual(rotated.map((f) => f.endsWith('.gz')), round === 1 ? [false] : [true, false]);
      assert.ok(size(logPath) < 8 * 1024, 'a fresh file under the old name');
      // The runtime writes into the new file.
      await until(`lines in the reopened log (round ${round})`, () => size(logPath) > 0);
    }
    assert.deepEqual(logs, []);

    // What is kept reads as one stream: every line once, in order.
    const numbers = lineNumbers([...(await rotatedLogs(logPath)), logPath]);
    assert.ok(numbers.length > 100, `${numbers.length} lines`);
    numbers.forEach((n, i) => i > 0 && assert.equal(n, numbers[i - 1]! + 1, `line ${n} follows line ${numbers[i - 1]}`));

    await tc.cri.stopContainer(id, 0);
    await tc.cri.removeContainer(id);
    await removeContainerLogs(logPath);
    assert.equal(size(logPath), -1);
    assert.deepEqual(await rotatedLogs(logPath), []);
  } finally {
    await tc.cleanup();
  }
});
