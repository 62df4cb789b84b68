// Against a real containerd: exec through its streaming server over SPDY.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BUSYBOX_IMAGE, startTestContainerd, testContainerdMissing, type TestContainerd } from '../containerd/testing/test-containerd.ts';
import { openRuntimeStreamSpdy } from './runtime-stream-spdy.ts';
import type { Readable } from 'node:stream';

const skip = process.getuid?.() !== 0 ? 'needs root' : testContainerdMissing();
if (skip) console.log(`# skipping runtime-stream-spdy tests: ${skip}`);

let tc: TestContainerd | undefined;
let containerId = '';

before(async () => {
  if (skip) return;
  tc = await startTestContainerd({ bridge: 'sk-h5', podCIDR: '10.88.5.0/24' });
  const sandboxConfig = { metadata: { name: 'rs', uid: 'rs-uid', namespace: 'default', attempt: 0 }, labels: {}, annotations: {} };
  const sb = await tc.cri.runPodSandbox(sandboxConfig);
  containerId = await tc.cri.createContainer(
    sb,
    { metadata: { name: 'c', attempt: 0 }, image: { image: BUSYBOX_IMAGE }, command: ['sleep', '3600'], args: [], envs: [], labels: {}, annotations: {} },
    sandboxConfig,
  );
  await tc.cri.startContainer(containerId);
});

after(async () => {
  await tc?.cleanup();
});

async function text(r: Readable | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of r ?? []) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

test('exec cat: stdin piped and closed comes back on stdout, then success', { skip }, async () => {
  const opts = { stdin: true, stdout: true, stderr: true, tty: false };
  const { url } = await tc!.cri.exec({ containerId, cmd: ['cat'], ...opts });
  const s = await openRuntimeStreamSpdy(url, opts);
  const out = text(s.stdout);
  const big = 'abc\n'.repeat(500_000); // 2 MB: more than the kernel buffers hold at once
  s.stdin!.write('hello\n');
  s.stdin!.end(big);
  assert.equal(await out, 'hello\n' + big);
  assert.deepEqual(await s.done, { metadata: {}, status: 'Success' });
});

test('exec exit 3: NonZeroExitCode with the exit code; stderr apart from stdout', { skip }, async () => {
  const opts = { stdin: false, stdout: true, stderr: true, tty: false };
  const { url } = await tc!.cri.exec({ containerId, cmd: ['sh', '-c', 'echo out; echo err >&2; exit 3'], ...opts });
  const s = await openRuntimeStreamSpdy(url, opts);
  const [out, err] = await Promise.all([text(s.stdout), text(s.stderr)]);
  assert.equal(out, 'out\n');
  assert.equal(err, 'err\n');
  const status = (await s.done) as { status: string; reason: string; details: { causes: { reason: string; message: string }[] } };
  assert.equal(status.status, 'Failure');
  assert.equal(status.reason, 'NonZeroExitCode');
  assert.deepEqual(status.details.causes, [{ reason: 'ExitCode', message: '3' }]);
});

test('exec with a tty: resize reaches the terminal', { skip }, async () => {
  const opts = { stdin: true, stdout: true, stderr: false, tty: true };
  const { url } = await tc!.cri.exec({ containerId, cmd: ['sh', '-c', 'sleep 0.5; stty size'], ...opts });
  const s = await openRuntimeStreamSpdy(url, opts);
  s.resize(123, 45);
  const out = await text(s.stdout);
  assert.match(out, /45 123/);
  assert.equal(((await s.done) as { status: string }).status, 'Success');
});

test('a used or unknown URL is refused with the server answer', { skip }, async () => {
  const { url } = await tc!.cri.exec({ containerId, cmd: ['true'], stdin: false, stdout: true, stderr: false, tty: false });
  const bad = url.replace(/[^/]+$/, 'nope');
  await assert.rejects(openRuntimeStreamSpdy(bad, { stdin: false, stdout: true, stderr: false, tty: false }), /refused the SPDY upgrade: HTTP 404/);
});
