import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCriLogLine, writeCriLog, type LogOptions } from './cri-log.ts';

function withLog(content: string): { path: string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-crilog-'));
  const path = join(dir, '0.log');
  writeFileSync(path, content);
  return { path, done: () => rmSync(dir, { recursive: true, force: true }) };
}

async function read(path: string, opts: LogOptions): Promise<string> {
  let out = '';
  await writeCriLog(path, opts, (c) => void (out += c));
  return out;
}

const sample = [
  '2026-11-25T03:06:29.000000001Z stdout F one',
  '2026-11-25T03:06:30.000000002Z stderr F two',
  '2026-11-25T03:06:31.000000003Z stdout P thr',
  '2026-11-25T03:06:31.500000000Z stdout F ee',
  '2026-11-25T03:06:32.000000004Z stdout F four',
  '',
].join('\n');

test('parseCriLogLine reads time, stream, tag and content (spaces kept)', () => {
  assert.deepEqual(parseCriLogLine('2026-11-25T03:06:29.833517812Z stdout F a b  c'), {
    time: '2026-11-25T03:06:29.833517812Z',
    stream: 'stdout',
    partial: false,
    content: 'a b  c',
  });
  assert.equal(parseCriLogLine('2026-11-25T03:06:29Z stderr P:x part')?.partial, true);
  assert.equal(parseCriLogLine('2026-11-25T03:06:29Z stdout F')?.content, '');
  assert.equal(parseCriLogLine('garbage'), undefined);
  assert.equal(parseCriLogLine('t other F x'), undefined);
});

test('whole log joins partial lines; stream filter', async () => {
  const f = withLog(sample);
  try {
    assert.equal(await read(f.path, {}), 'one\ntwo\nthree\nfour\n');
    assert.equal(await read(f.path, { stream: 'stderr' }), 'two\n');
  } finally {
    f.done();
  }
});

test('tailLines counts whole lines, partials included in theirs', async () => {
  const f = withLog(sample);
  try {
    assert.equal(await read(f.path, { tailLines: 2 }), 'three\nfour\n');
    assert.equal(await read(f.path, { tailLines: 1 }), 'four\n');
    assert.equal(await read(f.path, { tailLines: 0 }), '');
    assert.equal(await read(f.path, { tailLines: 10 }), 'one\ntwo\nthree\nfour\n');
  } finally {
    f.done();
  }
});

test('tailLines on a file larger than one read block', async () => {
  const lines = Array.from({ length: 5000 }, (_, i) => `2026-11-25T03:06:29.000000001Z stdout F line-${i}-${'x'.repeat(20)}`);
  const f = withLog(lines.join('\n') + '\n');
  try {
    const out = await read(f.path, { tailLines: 3000 });
    const got = out.trimEnd().split('\n');
    assert.equal(got.length, 3000);
    assert.match(got[0]!, /^line-2000-/);
    assert.match(got[2999]!, /^line-4999-/);
  } finally {
    f.done();
  }
});

test('timestamps prefix the time of the first fragment; since filters by time', async () => {
  const f = withLog(sample);
  try {
    assert.equal(
      await read(f.path, { timestamps: true, sinceMs: Date.parse('2026-11-25T03:06:31Z') }),
      '2026-11-25T03:06:31.000000003Z three\n2026-11-25T03:06:32.000000004Z four\n',
    );
  } finally {
    f.done();
  }
});

test('limitBytes cuts the output at the limit, mid-line', async () => {
  const f = withLog(sample);
  try {
    assert.equal(await read(f.path, { limitBytes: 6 }), 'one\ntw');
    assert.equal(await read(f.path, { limitBytes: 4 }), 'one\n');
  } finally {
    f.done();
  }
});

test('missing file: empty without follow', async () => {
  assert.equal(await read('/nonexistent/skiff/0.log', {}), '');
});

test('follow streams appended lines and ends when the container stops and the file is drained', async () => {
  const f = withLog('2026-11-25T03:06:29.000000001Z stdout F first\n');
  const ac = new AbortController();
  try {
    let running = true;
    const chunks: string[] = [];
    const p = writeCriLog(f.path, { follow: true }, (c) => void chunks.push(c), { running: async () => running, pollMs: 5, signal: ac.signal });
    await waitFor(() => chunks.join('') === 'first\n');
    // A line written in two pieces is emitted once whole.
    appendFileSync(f.path, '2026-11-25T03:06:30.000000001Z stdout F sec');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(chunks.join(''), 'first\n');
    appendFileSync(f.path, 'ond\n');
    await waitFor(() => chunks.join('') === 'first\nsecond\n');
    appendFileSync(f.path, '2026-11-25T03:06:31.000000001Z stdout F last\n');
    running = false;
    await p;
    assert.equal(chunks.join(''), 'first\nsecond\nlast\n');
  } finally {
    // A failed assertion must not leave the follower polling: the test process would never exit.
    ac.abort();
    f.done();
  }
});

test('follow goes on in the new file after a rotation, having read the old one to its end', async () => {
  const f = withLog('2026-11-25T03:06:29.000000001Z stdout F one\n');
  const ac = new AbortController();
  try {
    let running = true;
    const chunks: string[] = [];
    const p = writeCriLog(f.path, { follow: true }, (c) => void chunks.push(c), { running: async () => running, pollMs: 5, signal: ac.signal });
    await waitFor(() => chunks.join('') === 'one\n');
    // The runtime wrote one more line before the kubelet renamed the file, then reopened it.
    appendFileSync(f.path, '2026-11-25T03:06:30.000000001Z stdout F two\n');
    renameSync(f.path, `${f.path}.20261125-030630`);
    writeFileSync(f.path, '2026-11-25T03:06:31.000000001Z stdout F three\n');
    await waitFor(() => chunks.join('') === 'one\ntwo\nthree\n', () => JSON.stringify(chunks));
    appendFileSync(f.path, '2026-11-25T03:06:32.000000001Z stdout F four\n');
    running = false;
    await p;
    assert.equal(chunks.join(''), 'one\ntwo\nthree\nfour\n');
  } finally {
    ac.abort();
    f.done();
  }
});

test('follow stops on abort', async () => {
  const f = withLog('');
  try {
    const ac = new AbortController();
    const p = writeCriLog(f.path, { follow: true }, () => {}, { running: async () => true, pollMs: 5, signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    await p;
  } finally {
    f.done();
  }
});

async function waitFor(cond: () => boolean, seen?: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`condition not met in 10 s${seen ? `: ${seen()}` : ''}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
