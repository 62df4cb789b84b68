// Streaming on a real node with the real kubectl: logs (-f, --previous,
// --tail, --timestamps, -c), exec (exit codes, stdin), attach and cp.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll } from './harness.ts';
import { nodeSkipReason, startNode, type RunningNode } from './node-harness.ts';

const skip = nodeSkipReason();
if (skip) console.log(`# skipping streaming e2e: ${skip}`);

let node: RunningNode;
let dir: string;

const busybox = 'docker.io/library/busybox:1.35';
const k = (args: string[], input?: string, env?: Record<string, string>) => {
  const t0 = Date.now();
  const r = node.kubectl(args, { ...(input === undefined ? {} : { input }), ...(env ? { env } : {}), timeoutMs: 60_000 });
  if (process.env['SKIFF_E2E_TIMING']) console.log(`# ${Date.now() - t0} ms kubectl ${args.join(' ')}`);
  return r;
};
const ok = (args: string[], input?: string): string => {
  const r = k(args, input);
  assert.equal(r.status, 0, `kubectl ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
};

const until = <T>(what: string, fn: () => T | undefined | false, timeoutMs = 40_000): Promise<T> =>
  poll(what, fn, { timeoutMs, intervalMs: 250, output: () => node.server.output() });

const manifests = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web' },
    spec: {
      containers: [
        { name: 'app', image: busybox, command: ['sh', '-c', 'echo hello; sleep 0.1; echo oops >&2; sleep 0.1; echo three; exec sleep 3600'] },
        { name: 'side', image: busybox, command: ['sh', '-c', 'echo from-side; exec sleep 3600'] },
      ],
      terminationGracePeriodSeconds: 1,
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'crash' },
    spec: { containers: [{ name: 'c', image: busybox, command: ['sh', '-c', 'echo run-$(date +%s); sleep 1; exit 1'] }], terminationGracePeriodSeconds: 1 },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'reader' },
    spec: {
      restartPolicy: 'Never',
      containers: [{ name: 'r', image: busybox, stdin: true, stdinOnce: true, command: ['sh', '-c', 'read line; for i in 1 2 3; do echo got-$line-$i; sleep 0.3; done'] }],
      terminationGracePeriodSeconds: 1,
    },
  },
];

before(async () => {
  if (skip) return;
  node = await startNode();
  dir = mkdtempSync(join(tmpdir(), 'skiff-streaming-'));
  for (const m of manifests) ok(['apply', '-f', '-'], JSON.stringify(m));
  ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s']);
});

after(async () => {
  if (skip) return;
  rmSync(dir, { recursive: true, force: true });
  await node.stop();
});

test('kubectl logs: default container, -c, --tail, --timestamps, --limit-bytes', { skip: skip ?? false }, async () => {
  const logs = await until('all of web/app log', () => {
    const r = k(['logs', 'web', '-c', 'app']);
    return r.stdout.includes('three') ? r.stdout : undefined;
  });
  assert.equal(logs, 'hello\noops\nthree\n');
  assert.equal(ok(['logs', 'web', '-c', 'side']), 'from-side\n');
  // No -c: kubectl picks the first container (or the default-container annotation).
  assert.equal(ok(['logs', 'web']), 'hello\noops\nthree\n');
  assert.equal(ok(['logs', 'web', '-c', 'app', '--tail=1']), 'three\n');
  assert.match(ok(['logs', 'web', '-c', 'app', '--tail=1', '--timestamps']), /^\d{4}-\d\d-\d\dT[\d:.]+Z three\n$/);
  assert.equal(ok(['logs', 'web', '-c', 'app', '--limit-bytes=3']), 'hel');
  assert.equal(ok(['logs', 'web', '-c', 'app', '--since=1h']), 'hello\noops\nthree\n');
  const missing = k(['logs', 'web', '-c', 'nope']);
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /container nope is not valid for pod web/);
});

test('kubectl logs --previous after a crash, and -f that ends with the container', { skip: skip ?? false }, async () => {
  const prev = await until('a restarted crash pod', () => {
    const r = k(['logs', 'crash', '--previous']);
    return r.status === 0 && r.stdout.startsWith('run-') ? r.stdout : undefined;
  });
  assert.match(prev, /^run-\d+\n$/);
  const none = k(['logs', 'web', '-c', 'app', '--previous']);
  assert.notEqual(none.status, 0);
  assert.match(none.stderr, /previous terminated container "app" in pod "web" not found/);

  // attach -i: the reader gets a line on stdin, prints three lines and exits; logs -f follows it to the end.
  await until('reader running', () => k(['get', 'pod', 'reader', '-o', 'jsonpath={.status.phase}']).stdout === 'Running' || undefined);
  const attach = k(['attach', '-i', 'reader', '-c', 'r'], 'hi\n');
  assert.match(attach.stdout, /got-hi-1\n/, attach.stderr);
  const follow = ok(['logs', '-f', 'reader']);
  assert.equal(follow, 'got-hi-1\ngot-hi-2\ngot-hi-3\n');
});

test('kubectl exec: output, exit codes, stdin', { skip: skip ?? false }, () => {
  assert.equal(ok(['exec', 'web', '-c', 'app', '--', 'cat', '/etc/hostname']), 'web\n');
  const exit3 = k(['exec', 'web', '-c', 'app', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(exit3.status, 3, exit3.stderr);
  assert.equal(exit3.stdout, 'out\n');
  assert.match(exit3.stderr, /err/);
  assert.equal(ok(['exec', '-i', 'web', '-c', 'app', '--', 'cat'], 'piped\nthrough\n'), 'piped\nthrough\n');
  assert.equal(ok(['exec', '-i', 'web', '-c', 'app', '--', 'wc', '-l'], 'a\nb\nc\n').trim(), '3');
  // kubectl's SPDY fallback (WebSockets turned off) works too.
  const spdy = k(['exec', '-i', 'web', '-c', 'app', '--', 'sh', '-c', 'cat; exit 4'], 'via spdy\n', { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' });
  assert.equal(spdy.status, 4, spdy.stderr);
  assert.equal(spdy.stdout, 'via spdy\n');
  const gone = k(['exec', 'web', '-c', 'nope', '--', 'true']);
  assert.notEqual(gone.status, 0);
});

test('kubectl cp into and out of a pod', { skip: skip ?? false }, () => {
  const src = join(dir, 'in.txt');
  const body = 'copied into the pod\n'.repeat(2000);
  writeFileSync(src, body);
  ok(['cp', src, 'web:/tmp/in.txt', '-c', 'app']);
  assert.equal(ok(['exec', 'web', '-c', 'app', '--', 'wc', '-c', '/tmp/in.txt']).trim(), `${body.length} /tmp/in.txt`);
  const out = join(dir, 'out.txt');
  ok(['cp', 'web:/tmp/in.txt', out, '-c', 'app']);
  assert.equal(readFileSync(out, 'utf8'), body);
});
