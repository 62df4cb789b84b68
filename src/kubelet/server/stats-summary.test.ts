// The Summary API from CRI stats and /proc: rates from two samples, pods grouped by sandbox, /proc parsing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerStats, RuntimeService } from '../runtime/runtime.ts';
import { nanoCores, statsSummary } from './stats-summary.ts';
import { parseMeminfo, parseProcStat } from './stats-summary-proc.ts';

test('/proc/stat busy time and /proc/meminfo working set', () => {
  // user nice system idle iowait irq softirq steal: busy = 100+0+50+0+0+10 ticks.
  assert.equal(parseProcStat('cpu  100 0 50 9000 40 0 10 0 0 0\ncpu0 1 2 3 4\n'), 1.6e9);
  assert.throws(() => parseProcStat('intr 1 2'), /no aggregate "cpu" line/);
  const m = parseMeminfo('MemTotal:       2000 kB\nMemFree:         500 kB\nMemAvailable:   1200 kB\n');
  assert.deepEqual(m, { workingSetBytes: 800 * 1024, usageBytes: 1500 * 1024, availableBytes: 1200 * 1024 });
  assert.equal(nanoCores(undefined, { timeNs: 1, cpuNs: 1 }), undefined);
  assert.equal(nanoCores({ timeNs: 0, cpuNs: 0 }, { timeNs: 2e9, cpuNs: 1e9 }), 5e8);
  assert.equal(nanoCores({ timeNs: 0, cpuNs: 5 }, { timeNs: 2e9, cpuNs: 1 }), undefined, 'a restarted counter gives no rate');
});

test('containers grouped by pod, with usageNanoCores from a second sample on first sight', async () => {
  const proc = mkdtempSync(join(tmpdir(), 'skiff-stats-'));
  try {
    writeFileSync(join(proc, 'stat'), 'cpu  100 0 100 1000 0 0 0 0\n');
    writeFileSync(join(proc, 'meminfo'), 'MemTotal: 4096 kB\nMemFree: 1024 kB\nMemAvailable: 2048 kB\n');
    let n = 0;
    const base = 1_700_000_000_000 * 1e6;
    const runtime = {
      listPodSandbox: async () => [{ id: 's1', metadata: { name: 'web', namespace: 'default', uid: 'u1', attempt: 0 }, state: 'SANDBOX_READY', createdAt: 0, labels: {}, annotations: {} }],
      listContainers: async () => [{ id: 'c1' }, { id: 'c2' }],
      listContainerStats: async (): Promise<ContainerStats[]> => {
        n++;
        // c1 burns half a core, c2 a tenth, over 100 ms between samples.
        const t = base + n * 1e8;
        return [
          { containerId: 'c1', name: 'app', podSandboxId: 's1', timestamp: t, cpuUsageCoreNanoSeconds: n * 5e7, memoryWorkingSetBytes: 4096, writableLayerBytes: 0 },
          { containerId: 'c2', name: 'side', podSandboxId: 's1', timestamp: t, cpuUsageCoreNanoSeconds: n * 1e7, memoryWorkingSetBytes: 1024, writableLayerBytes: 0 },
          { containerId: 'gone', name: 'x', podSandboxId: 'nope', timestamp: t, cpuUsageCoreNanoSeconds: 1, memoryWorkingSetBytes: 1, writableLayerBytes: 0 },
        ];
      },
    } as unknown as RuntimeService;
    const s = await statsSummary({ runtime, nodeName: 'n1', pods: () => [], procRoot: proc, resampleMs: 5 });
    assert.equal(n, 2, 'sampled twice on first sight');
    assert.equal(s.node.nodeName, 'n1');
    assert.equal(s.node.cpu.usageCoreNanoSeconds, 2e9);
    assert.equal(s.node.memory.workingSetBytes, 2048 * 1024);
    assert.equal(s.node.memory.availableBytes, 2048 * 1024);
    assert.equal(s.pods.length, 1);
    const pod = s.pods[0]!;
    assert.deepEqual(pod.podRef, { name: 'web', namespace: 'default', uid: 'u1' });
    assert.deepEqual(pod.containers.map((c) => [c.name, c.cpu.usageNanoCores, c.memory.workingSetBytes]), [['app', 5e8, 4096], ['side', 1e8, 1024]]);
    assert.equal(pod.cpu.usageNanoCores, 6e8);
    assert.equal(pod.memory.workingSetBytes, 5120);
    await statsSummary({ runtime, nodeName: 'n1', pods: () => [], procRoot: proc, resampleMs: 5 });
    assert.equal(n, 3, 'known containers need one sample');
  } finally {
    rmSync(proc, { recursive: true, force: true });
  }
});
