import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { openSqliteStorage } from '../../storage/sqlite/sqlite.ts';
import { startApiServer } from '../server.ts';
import { startKubeletServer } from '../../kubelet/server/kubelet-server.ts';
import type { ContainerStatus, ImageService, RuntimeService } from '../../kubelet/runtime/runtime.ts';
import type { Pod } from '../../kubelet/types.ts';
import type { OpenRuntimeStream } from '../../kubelet/server/runtime-stream.ts';

const token = 'cluster-token';

/** An API server with kubeletToken, a Node pointing at a stub kubelet, and pods on it. */
async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-node-proxy-'));
  const storage = openSqliteStorage(join(dir, 'state.db'), { synchronous: 'NORMAL', compactInterval: 0 });
  const api = await startApiServer({ storage, kubeletToken: token });
  writeFileSync(join(dir, 'app.log'), '2026-11-25T03:06:30.000000001Z stdout F hello\n2026-11-25T03:06:31.000000001Z stdout F world\n');
  const status = {
    id: 'c1',
    podSandboxId: 's',
    metadata: { name: 'app', attempt: 0 },
    image: { image: 'busybox:1.35' },
    imageRef: '',
    state: 'CONTAINER_RUNNING',
    createdAt: 0,
    labels: { 'io.kubernetes.container.name': 'app' },
    annotations: {},
    startedAt: 0,
    finishedAt: 0,
    exitCode: 0,
    reason: '',
    message: '',
    logPath: join(dir, 'app.log'),
  } as ContainerStatus;
  const runtime = {
    listContainers: async () => [status],
    containerStatus: async () => status,
    exec: async () => ({ url: 'http://runtime/exec/x' }),
  } as unknown as RuntimeService;
  const openStream: OpenRuntimeStream = async () => {
    const stdout = new PassThrough();
    let finish!: (s: object) => void;
    const done = new Promise<object>((r) => (finish = r));
    const stdin = new Writable({
      write(chunk: Buffer, _e, cb) {
        stdout.write(chunk.toString().toUpperCase());
        cb();
      },
      final(cb) {
        stdout.end();
        finish({ metadata: {}, status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '7' }] } });
        cb();
      },
    });
    return { stdin, stdout, resize: () => {}, done, close: () => {} };
  };
  const kubeletPods = new Map<string, Pod>();
  const kubelet = await startKubeletServer({
    host: '127.0.0.1',
    port: 0,
    token,
    runtime,
    images: {} as ImageService,
    pod: (ns, name) => kubeletPods.get(`${ns}/${name}`),
    pods: () => [...kubeletPods.values()],
    nodeName: 'n1',
    log: () => {},
    openStream,
  });
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> => {
    const r = await fetch(`${api.url}${path}`, { method, headers: { 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: r.status, text: await r.text() };
  };
  const addNode = async (name: string, port: number): Promise<void> => {
    await call('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } });
    const node = JSON.parse((await call('GET', `/api/v1/nodes/${name}`)).text) as { status?: object };
    node.status = { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } };
    const r = await call('PUT', `/api/v1/nodes/${name}/status`, node);
    assert.equal(r.status, 200, r.text);
  };
  const addPod = async (name: string, containers: string[], node?: string): Promise<void> => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: containers.map((c) => ({ name: c, image: 'busybox:1.35' })) } };
    const r = await call('POST', '/api/v1/namespaces/default/pods', pod);
    assert.equal(r.status, 201, r.text);
    const created = JSON.parse(r.text) as Pod;
    if (node) {
      await call('POST', `/api/v1/namespaces/default/pods/${name}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: node } });
      created.spec.nodeName = node;
      created.status = { containerStatuses: containers.map((c) => ({ name: c, state: { running: {} }, lastState: {}, ready: true, restartCount: 0, image: '', imageID: '', containerID: 'containerd://c1' })) };
      kubeletPods.set(`default/${name}`, created);
    }
  };
  await addNode('n1', kubelet.port);
  return {
    api,
    call,
    logFile: join(dir, 'app.log'),
    container: status,
    addNode,
    addPod,
    async stop() {
      await kubelet.close();
      await api.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('pods/log streams the kubelet container log; errors are Statuses', async () => {
  const s = await setup();
  try {
    await s.addPod('p', ['app'], 'n1');
    assert.deepEqual(await s.call('GET', '/api/v1/namespaces/default/pods/p/log'), { status: 200, text: 'hello\nworld\n' });
    assert.deepEqual(await s.call('GET', '/api/v1/namespaces/default/pods/p/log?container=app&tailLines=1'), { status: 200, text: 'world\n' });
    const follow = await s.call('GET', '/api/v1/namespaces/default/pods/p/log?follow=true&limitBytes=5');
    assert.deepEqual(follow, { status: 200, text: 'hello' });

    const missing = await s.call('GET', '/api/v1/namespaces/default/pods/nope/log');
    assert.equal(missing.status, 404);
    assert.match(missing.text, /pods \\"nope\\" not found/);

    await s.addPod('pending', ['app']);
    const pending = await s.call('GET', '/api/v1/namespaces/default/pods/pending/log');
    assert.equal(pending.status, 400);
    assert.match(pending.text, /pod pending does not have a host assigned/);

    await s.addPod('two', ['a', 'b'], 'n1');
    const two = await s.call('GET', '/api/v1/namespaces/default/pods/two/log');
    assert.equal(two.status, 400);
    assert.match(two.text, /a container name must be specified for pod two, choose one of: \[a b\]/);
    const bad = await s.call('GET', '/api/v1/namespaces/default/pods/two/log?container=zz');
    assert.match(bad.text, /container zz is not valid for pod two/);

    // A node whose kubelet is gone: 503 with the address, never a 500.
    const dead: Server = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    await s.addNode('n2', deadPort);
    await s.addPod('lost', ['app'], 'n2');
    const lost = await s.call('GET', '/api/v1/namespaces/default/pods/lost/log');
    assert.equal(lost.status, 503);
    assert.match(lost.text, /kubelet of node \\"n2\\" at 127\.0\.0\.1:\d+ did not answer/);

    const plainExec = await s.call('GET', '/api/v1/namespaces/default/pods/p/exec?command=ls');
    assert.equal(plainExec.status, 400);
  } finally {
    await s.stop();
  }
});

test('pods/exec upgrades are piped to the kubelet with the token', async () => {
  const s = await setup();
  try {
    await s.addPod('p', ['app'], 'n1');
    const url = `${s.api.url.replace('http', 'ws')}/api/v1/namespaces/default/pods/p/exec?command=cat&stdin=true&stdout=true`;
    const ws = new WebSocket(url, ['v5.channel.k8s.io']);
    const frames: Buffer[] = [];
    ws.on('message', (m: Buffer) => frames.push(m));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => {
        ws.send(Buffer.from([0, ...Buffer.from('shout')]));
        ws.send(Buffer.from([255, 0]));
      });
      ws.once('close', () => resolve());
      ws.once('error', reject);
    });
    assert.equal(ws.protocol, 'v5.channel.k8s.io');
    assert.equal(frames.filter((f) => f[0] === 1).map((f) => f.subarray(1).toString()).join(''), 'SHOUT');
    const status = JSON.parse(frames.find((f) => f[0] === 3)!.subarray(1).toString()) as { details: { causes: { message: string }[] } };
    assert.equal(status.details.causes[0]?.message, '7');

    // Errors before the kubelet: an HTTP Status on the socket.
    const code = (path: string) =>
      new Promise<number>((resolve) => {
        const w = new WebSocket(`${s.api.url.replace('http', 'ws')}${path}`, ['v5.channel.k8s.io']);
        w.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
        w.once('open', () => {
          w.terminate();
          resolve(101);
        });
        w.once('error', () => {});
      });
    assert.equal(await code('/api/v1/namespaces/default/pods/nope/exec?command=ls&stdout=true'), 404);
    assert.equal(await code('/api/v1/namespaces/default/services/x/exec?command=ls'), 400);
    assert.equal(await code('/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true&container=zz'), 400);
  } finally {
    await s.stop();
  }
});

test('pods/log?follow streams each line as it is written, through both hops', async () => {
  const s = await setup();
  try {
    await s.addPod('p', ['app'], 'n1');
    const r = await fetch(`${s.api.url}/api/v1/namespaces/default/pods/p/log?follow=true`);
    assert.equal(r.status, 200);
    const reader = r.body!.getReader();
    let got = '';
    const readUntil = async (want: string): Promise<void> => {
      while (!got.includes(want)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${JSON.stringify(want)}; got ${JSON.stringify(got)}`);
        got += Buffer.from(value).toString();
      }
    };
    await readUntil('world\n');
    appendFileSync(s.logFile, '2026-11-25T03:06:32.000000001Z stdout F later\n');
    await readUntil('later\n');
    s.container.state = 'CONTAINER_EXITED';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      got += Buffer.from(value).toString();
    }
    assert.equal(got, 'hello\nworld\nlater\n');
  } finally {
    await s.stop();
  }
});

test('a non-stream upgrade (h2c) is served as a plain request', async () => {
  const s = await setup();
  try {
    const { connect } = await import('node:net');
    const reply = await new Promise<string>((resolve, reject) => {
      const c = connect(s.api.port, '127.0.0.1', () => c.write('GET /version HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n'));
      let got = '';
      c.on('data', (d: Buffer) => {
        got += d.toString();
        if (got.includes('gitVersion')) {
          c.destroy();
          resolve(got);
        }
      });
      c.once('error', reject);
    });
    assert.match(reply, /^HTTP\/1\.1 200/);
  } finally {
    await s.stop();
  }
});
