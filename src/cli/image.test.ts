import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runImage } from './image.ts';
import { containerdMissing, startContainerd, type RunningContainerd } from '../kubelet/containerd/containerd.ts';
import { ensureTestImages } from '../kubelet/containerd/testing/test-containerd.ts';

test('skiff image: a clear error when no containerd runs under the data dir', async () => {
  const dir = mkdtempSync('/tmp/skimg-');
  try {
    await assert.rejects(runImage(['ls', '--data-dir', dir], () => {}), /no containerd answers at .*agent\/containerd\/containerd\.sock.*skiff server/);
    assert.equal(await runImage(['frobnicate'], () => {}), 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const skip = containerdMissing();
if (skip) console.log(`# skiff image on containerd skipped: ${skip}`);
describe('skiff image on a real containerd', { skip: skip ?? false }, () => {
  let dir = '';
  let ctd: RunningContainerd | undefined;
  before(async () => {
    dir = mkdtempSync('/tmp/skimg-');
    ctd = await startContainerd({ dataDir: join(dir, 'agent'), log: () => {} });
  });
  after(async () => {
    await ctd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('import prints what was imported; ls lists it', async () => {
    const tars = await ensureTestImages();
    let out = '';
    assert.equal(await runImage(['import', '--data-dir', dir, ...tars], (s) => (out += s)), 0);
    assert.match(out, /imported docker\.io\/library\/busybox:1\.35 from .*busybox\.tar/);
    assert.match(out, /imported docker\.io\/skiff\/pause:1 from .*pause\.tar/);
    out = '';
    assert.equal(await runImage(['ls', '--address', `unix://${ctd!.socket}`], (s) => (out += s)), 0);
    assert.match(out, /^IMAGE\s+ID\s+SIZE\n/);
    assert.match(out, /docker\.io\/library\/busybox:1\.35\s+[0-9a-f]{13}\s+2\.\dMB/);
    await assert.rejects(runImage(['import', '--data-dir', dir, '/nonexistent.tar'], () => {}), /no such file: \/nonexistent\.tar/);
  });
});
