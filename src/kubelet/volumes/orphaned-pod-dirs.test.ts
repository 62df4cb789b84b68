import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isMountPoint, isRoot, mountsUnder, mountTmpfs, unmount } from './mount-table.ts';
import { cleanupOrphanedPodDirs } from './orphaned-pod-dirs.ts';

test('removes the directories of pods that are gone, unmounting first, and keeps the rest', async () => {
  const root = mkdtempSync(join(tmpdir(), 'skiff-orphans-'));
  const outside = mkdtempSync(join(tmpdir(), 'skiff-outside-'));
  try {
    writeFileSync(join(outside, 'keep'), 'x');
    const gone = join(root, 'pods', 'gone', 'volumes', 'kubernetes.io~secret', 's');
    const live = join(root, 'pods', 'live', 'volumes', 'kubernetes.io~empty-dir', 'e');
    mkdirSync(gone, { recursive: true });
    mkdirSync(live, { recursive: true });
    symlinkSync(outside, join(root, 'pods', 'gone', 'volumes', 'link'));
    if (isRoot()) await mountTmpfs(gone);
    writeFileSync(join(gone, 'f'), 'secret');
    const logs: string[] = [];
    assert.deepEqual(await cleanupOrphanedPodDirs(root, new Set(['live']), (l) => logs.push(l)), ['gone']);
    assert.equal(existsSync(join(root, 'pods', 'gone')), false);
    assert.equal(isMountPoint(gone), false);
    assert.ok(existsSync(live));
    assert.equal(readFileSync(join(outside, 'keep'), 'utf8'), 'x');
    assert.match(logs.join('\n'), /removed directories of 1 orphaned pod/);
    assert.deepEqual(await cleanupOrphanedPodDirs(join(root, 'nowhere'), new Set(), () => {}), []);
  } finally {
    for (const m of mountsUnder(root)) await unmount(m);
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});
