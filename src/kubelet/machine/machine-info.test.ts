import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpusFromQuota, meminfoBytes, prettyName, readMachineInfo } from './machine-info.ts';
import { pidsFromLoadavg, pressureFrom } from './pressure.ts';

test('parses /proc/meminfo lines into bytes', () => {
  const text = 'MemTotal:       24683620 kB\nMemFree:        23348564 kB\nMemAvailable:   24225992 kB\n';
  assert.equal(meminfoBytes(text, 'MemTotal'), 24683620 * 1024);
  assert.equal(meminfoBytes(text, 'MemAvailable'), 24225992 * 1024);
  assert.equal(meminfoBytes(text, 'SwapTotal'), undefined);
});

test('takes PRETTY_NAME from os-release, quoted or not', () => {
  assert.equal(prettyName('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(prettyName('PRETTY_NAME=Alpine\n'), 'Alpine');
  assert.equal(prettyName(''), 'Linux');
});

test('a CFS quota limits the cpus, rounding up; -1 means none', () => {
  assert.equal(cpusFromQuota(-1, 100000), undefined);
  assert.equal(cpusFromQuota(150000, 100000), 2);
  assert.equal(cpusFromQuota(50000, 100000), 1);
});

test('reads this machine: positive capacity, kernel, machine id kept in the data dir when /etc has none', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-machine-'));
  try {
    const m = readMachineInfo(dir);
    assert.ok(m.cpu >= 1);
    assert.ok(m.memoryBytes > 64 * 1024 * 1024);
    assert.ok(m.ephemeralStorageBytes > 0);
    assert.match(m.kernelVersion, /^\d+\.\d+/);
    assert.ok(m.machineID.length >= 16);
    let etc = '';
    try {
      etc = readFileSync('/etc/machine-id', 'utf8').trim();
    } catch {
      etc = '';
    }
    if (etc) assert.equal(m.machineID, etc);
    else assert.equal(readMachineInfo(dir).machineID, m.machineID);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pressure follows the kubelet thresholds', () => {
  const ok = { memoryAvailableBytes: 2 * 2 ** 30, diskAvailableBytes: 50, diskTotalBytes: 100, pidsInUse: 100, pidMax: 32768 };
  assert.deepEqual(pressureFrom(ok), { memory: false, disk: false, pid: false });
  assert.deepEqual(pressureFrom({ ...ok, memoryAvailableBytes: 50 * 2 ** 20 }), { memory: true, disk: false, pid: false });
  assert.deepEqual(pressureFrom({ ...ok, diskAvailableBytes: 9 }), { memory: false, disk: true, pid: false });
  assert.deepEqual(pressureFrom({ ...ok, pidsInUse: 30000 }), { memory: false, disk: false, pid: true });
  assert.equal(pidsFromLoadavg('2.26 1.37 1.67 1/96 7502\n'), 96);
});
