// `kubectl top node` and `kubectl top pod` on a real node: the metrics.k8s.io
// API of our API server, fed by the kubelet's /stats/summary (CRI stats + /proc).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { poll } from './harness.ts';
import { nodeSkipReason, startNode, type RunningNode } from './node-harness.ts';

const skip = nodeSkipReason();
if (skip) console.log(`# skipping metrics e2e: ${skip}`);

let node: RunningNode;
const k = (args: string[], input?: string) => {
  const r = node.kubectl(args, input === undefined ? {} : { input });
  assert.equal(r.status, 0, `kubectl ${args.join(' ')} failed: ${r.stderr}\n${r.stdout}`);
  return r.stdout;
};

const until = <T>(what: string, fn: () => T | undefined | false, timeoutMs = 30_000): Promise<T> =>
  poll(what, fn, { timeoutMs, intervalMs: 300, retryErrors: true, output: () => node.server.output() });

before(async () => {
  if (skip) return;
  node = await startNode();
});
after(async () => {
  if (skip || !node) return;
  node.kubectl(['delete', 'pod', 'burn', '--grace-period=1', '--wait=true', '--timeout=30s']);
  await node.stop();
});

test('kubectl top node and kubectl top pod show usage for a running busybox pod', { skip }, async () => {
  // Some work, not a whole core: the test machine is shared.
  const pod = `apiVersion: v1
kind: Pod
metadata: {name: burn, labels: {app: burn}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: work
    image: docker.io/library/busybox:1.35
    command: [sh, -c, 'while true; do i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; sleep 0.2; done']
`;
  k(['apply', '-f', '-'], pod);
  await until('pod burn Running', () => JSON.parse(k(['get', 'pod', 'burn', '-o', 'json'])).status?.phase === 'Running');

  const nodeTop = await until('kubectl top node', () => {
    const r = node.kubectl(['top', 'node']);
    return r.status === 0 && r.stdout.includes(node.nodeName) ? r.stdout : undefined;
  });
  const nodeLine = nodeTop.split('\n').find((l) => l.startsWith(node.nodeName))!;
  assert.match(nodeLine, /^\S+\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%\s*$/, nodeTop);
  const nodeCpu = Number(/\s(\d+)m\s/.exec(nodeLine)![1]);
  assert.ok(nodeCpu > 0, `node CPU usage is positive: ${nodeLine}`);

  const podTop = await until('kubectl top pod with usage', () => {
    const r = node.kubectl(['top', 'pod', '-l', 'app=burn']);
    const line = r.stdout.split('\n').find((l) => l.startsWith('burn '));
    return r.status === 0 && line && /^burn\s+[1-9]\d*m\s+\d+Mi\s*$/.test(line) ? r.stdout : undefined;
  });
  assert.match(podTop, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);

  const containers = k(['top', 'pod', 'burn', '--containers']);
  assert.match(containers, /^burn\s+work\s+\d+m\s+\d+Mi\s*$/m);
  const all = k(['top', 'pod', '-A']);
  assert.match(all, /^default\s+burn\s+\d+m\s+\d+Mi\s*$/m);

  const raw = JSON.parse(k(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/burn']));
  assert.equal(raw.kind, 'PodMetrics');
  assert.match(raw.containers[0].usage.memory, /^\d+Ki$/);
});
