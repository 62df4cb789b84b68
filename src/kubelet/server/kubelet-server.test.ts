import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { WebSocket } from 'ws';
import type { Container, ContainerStatus, ImageService, RuntimeService } from '../runtime/runtime.ts';
import type { Pod } from '../types.ts';
import { startKubeletServer } from './kubelet-server.ts';
import type { OpenRuntimeStream } from './runtime-stream.ts';
import { upgradeToSpdy } from './spdy/upgrade.ts';

const token = 'sekret';
const auth = { Authorization: `Bearer ${token}` };

function container(id: string, name: string, attempt: number, state: Container['state']): ContainerStatus {
  return {
    id,
    podSandboxId: 's1',
    metadata: { name, attempt },
    image: { image: 'busybox:1.35' },
    imageRef: 'sha256:x',
    state,
    createdAt: 0,
    labels: { 'io.kubernetes.pod.uid': 'u1', 'io.kubernetes.container.name': name },
    annotations: {},
    startedAt: 0,
    finishedAt: 0,
    exitCode: 0,
    reason: '',
    message: '',
  };
}

function setup(): { dir: string; runtime: RuntimeService; pods: Map<string, Pod>; containers: ContainerStatus[]; execs: unknown[] } {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-server-'));
  writeFileSync(join(dir, '0.log'), '2026-11-25T03:06:29.000000001Z stdout F old-1\n');
  writeFileSync(join(dir, '1.log'), '2026-11-25T03:06:30.000000001Z stdout F new-1\n2026-11-25T03:06:31.000000001Z stderr F new-2\n');
  const containers = [
    { ...container('c0', 'app', 0, 'CONTAINER_EXITED'), logPath: join(dir, '0.log') },
    { ...container('c1', 'app', 1, 'CONTAINER_RUNNING'), logPath: join(dir, '1.log') },
  ];
  const execs: unknown[] = [];
  const runtime = {
    async listContainers(f?: { labelSelector?: Record<string, string> }) {
      return containers.filter((c) => Object.entries(f?.labelSelector ?? {}).every(([k, v]) => c.labels[k] === v));
    },
    async containerStatus(id: string) {
      const c = containers.find((x) => x.id === id);
      if (!c) throw new Error(`no container ${id}`);
      return c;
    },
    async exec(req: unknown) {
      execs.push(req);
      return { url: 'http://runtime/exec/1' };
    },
    async attach(req: unknown) {
      execs.push(req);
      return { url: 'http://runtime/attach/1' };
    },
  } as unknown as RuntimeService;
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { containers: [{ name: 'app' }, { name: 'side' }] },
    status: {
      containerStatuses: [
        {
          name: 'app',
          containerID: 'containerd://c1',
          state: { running: {} },
          lastState: { terminated: { exitCode: 1, containerID: 'containerd://c0' } },
          ready: true,
          restartCount: 1,
          image: '',
          imageID: '',
        },
        { name: 'side', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: '', imageID: '' },
      ],
    },
  };
  return { dir, runtime, pods: new Map([['default/p', pod]]), containers, execs };
}

async function withServer(openStream: OpenRuntimeStream | undefined, fn: (base: string, s: ReturnType<typeof setup>) => Promise<void>): Promise<void> {
  const s = setup();
  const server = await startKubeletServer({
    host: '127.0.0.1',
    port: 0,
    token,
    runtime: s.runtime,
    images: {} as ImageService,
    pod: (ns, name) => s.pods.get(`${ns}/${name}`),
    pods: () => [...s.pods.values()],
    nodeName: 'n1',
    log: () => {},
    ...(openStream ? { openStream } : {}),
  });
  try {
    await fn(`127.0.0.1:${server.port}`, s);
  } finally {
    await server.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
}

test('every request needs the token', async () => {
  await withServer(undefined, async (base) => {
    const r = await fetch(`http://${base}/healthz`);
    assert.equal(r.status, 401);
    assert.equal(((await r.json()) as { reason: string }).reason, 'Unauthorized');
    const bad = await fetch(`http://${base}/healthz`, { headers: { Authorization: 'Bearer nope' } });
    assert.equal(bad.status, 401);
    const ok = await fetch(`http://${base}/healthz`, { headers: auth });
    assert.equal(await ok.text(), 'ok');
    const pods = (await (await fetch(`http://${base}/pods`, { headers: auth })).json()) as { items: Pod[] };
    assert.equal(pods.items[0]?.metadata.name, 'p');
  });
});

test('containerLogs: current, previous, tail, timestamps and the Kubernetes errors', async () => {
  await withServer(undefined, async (base) => {
    const get = async (path: string): Promise<{ status: number; text: string }> => {
      const r = await fetch(`http://${base}${path}`, { headers: auth });
      return { status: r.status, text: await r.text() };
    };
    assert.deepEqual(await get('/containerLogs/default/p/app'), { status: 200, text: 'new-1\nnew-2\n' });
    assert.deepEqual(await get('/containerLogs/default/p/app?previous=true'), { status: 200, text: 'old-1\n' });
    assert.deepEqual(await get('/containerLogs/default/p/app?tailLines=1&timestamps=true'), { status: 200, text: '2026-11-25T03:06:31.000000001Z new-2\n' });
    assert.deepEqual(await get('/containerLogs/default/p/app?limitBytes=3'), { status: 200, text: 'new' });
    const waiting = await get('/containerLogs/default/p/side');
    assert.equal(waiting.status, 400);
    assert.match(waiting.text, /container \\"side\\" in pod \\"p\\" is waiting to start: ContainerCreating/);
    const prev = await get('/containerLogs/default/p/side?previous=true');
    assert.match(prev.text, /previous terminated container \\"side\\" in pod \\"p\\" not found/);
    assert.equal((await get('/containerLogs/default/nope/app')).status, 404);
    assert.equal((await get('/containerLogs/default/p/app?tailLines=-1')).status, 400);
  });
});

test('containerLogs follow ends when the container exits', async () => {
  await withServer(undefined, async (base, s) => {
    const c1 = s.containers[1]!;
    setTimeout(() => (c1.state = 'CONTAINER_EXITED'), 150);
    const r = await fetch(`http://${base}/containerLogs/default/p/app?follow=true`, { headers: auth });
    assert.equal(await r.text(), 'new-1\nnew-2\n');
  });
});

type Frame = { ch: number; data: string };

function fakeStream(exitCode: number) {
  const stdin: Buffer[] = [];
  const events: string[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let finish!: (s: object) => void;
  const done = new Promise<object>((r) => (finish = r));
  const open: OpenRuntimeStream = async (_url, opts) => {
    events.push(`open tty=${opts.tty}`);
    const input = new Writable({
      write(chunk: Buffer, _e, cb) {
        stdin.push(chunk);
        cb();
      },
      final(cb) {
        events.push('stdin-end');
        // The process echoes its input and exits once stdin ends.
        stdout.end(Buffer.concat(stdin));
        stderr.end('warn\n');
        finish(
          exitCode === 0
            ? { metadata: {}, status: 'Success' }
            : { metadata: {}, status: 'Failure', reason: 'NonZeroExitCode', message: `command terminated with non-zero exit code: exit status ${exitCode}`, details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] } },
        );
        cb();
      },
    });
    return { stdin: input, stdout, stderr, resize: (w, h) => events.push(`resize ${w}x${h}`), done, close: () => events.push('close') };
  };
  return { open, events };
}

async function talk(url: string, protocol: string, send: (ws: WebSocket) => void): Promise<{ frames: Frame[]; protocol: string }> {
  const ws = new WebSocket(url, [protocol], { headers: auth });
  const frames: Frame[] = [];
  ws.on('message', (m: Buffer) => frames.push({ ch: m[0]!, data: m.subarray(1).toString() }));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => send(ws));
    ws.once('close', () => resolve());
    ws.once('error', reject);
  });
  return { frames, protocol: ws.protocol };
}

test('exec over v5: stdin, resize and stdin close reach the runtime; output and exit status come back', async () => {
  const fake = fakeStream(3);
  await withServer(fake.open, async (base, s) => {
    const url = `ws://${base}/exec/default/p/app?command=cat&stdin=true&stdout=true&stderr=true`;
    const r = await talk(url, 'v5.channel.k8s.io', (ws) => {
      ws.send(Buffer.from([4, ...Buffer.from('{"Width":80,"Height":24}')]));
      ws.send(Buffer.from([0, ...Buffer.from('hello ')]));
      ws.send(Buffer.from([0, ...Buffer.from('world')]));
      ws.send(Buffer.from([255, 0]));
    });
    assert.equal(r.protocol, 'v5.channel.k8s.io');
    assert.deepEqual(s.execs, [{ containerId: 'c1', tty: false, stdin: true, stdout: true, stderr: true, cmd: ['cat'] }]);
    assert.equal(r.frames.filter((f) => f.ch === 1).map((f) => f.data).join(''), 'hello world');
    assert.equal(r.frames.filter((f) => f.ch === 2).map((f) => f.data).join(''), 'warn\n');
    const status = JSON.parse(r.frames.find((f) => f.ch === 3)!.data) as { reason: string; details: { causes: { message: string }[] } };
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.equal(status.details.causes[0]?.message, '3');
    assert.deepEqual(fake.events.slice(0, 3), ['open tty=false', 'resize 80x24', 'stdin-end']);
  });
});

test('exec over v4 reports success on the status channel', async () => {
  const fake = fakeStream(0);
  await withServer(fake.open, async (base) => {
    const url = `ws://${base}/exec/default/p/app?command=cat&input=1&output=1&error=1`;
    // v4 cannot close stdin: the test's runtime stream ends on a direct stdin end instead.
    const r = await talk(url, 'v4.channel.k8s.io', (ws) => {
      ws.send(Buffer.from([0, ...Buffer.from('x')]));
      setTimeout(() => ws.close(), 50);
    });
    assert.equal(r.protocol, 'v4.channel.k8s.io');
    assert.ok(fake.events.includes('close'), 'closing the client closes the runtime stream');
  });
});

test('exec errors before the upgrade are HTTP Status answers', async () => {
  await withServer(fakeStream(0).open, async (base) => {
    const statusOf = (path: string, protocol = 'v5.channel.k8s.io', headers: Record<string, string> = auth) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`ws://${base}${path}`, [protocol], { headers });
        ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.once('open', () => {
          ws.terminate();
          resolve(101);
        });
        ws.once('error', () => {});
      });
    assert.equal(await statusOf('/exec/default/p/side?command=ls&stdout=1'), 400);
    assert.equal(await statusOf('/exec/default/p/ghost?command=ls&stdout=1'), 404);
    assert.equal(await statusOf('/exec/default/nope/app?command=ls&stdout=1'), 404);
    assert.equal(await statusOf('/exec/default/p/app?stdout=1'), 400);
    assert.equal(await statusOf('/exec/default/p/app?command=ls&stdout=1', 'base64.channel.k8s.io'), 400);
    assert.equal(await statusOf('/exec/default/p/app?command=ls&stdout=1', 'v5.channel.k8s.io', {}), 401);
    assert.equal(await statusOf('/exec/default/p/app?command=ls&stdout=1'), 101);
  });
});

test('exec over SPDY (kubectl without WebSockets): streams by type, stdin FIN, status on the error stream', async () => {
  const fake = fakeStream(3);
  await withServer(fake.open, async (base) => {
    const { session, protocol } = await upgradeToSpdy(`http://${base}/exec/default/p/app?command=cat&stdin=true&stdout=true&stderr=true`, {
      protocols: ['v4.channel.k8s.io', 'v3.channel.k8s.io'],
      headers: auth,
    });
    assert.equal(protocol, 'v4.channel.k8s.io');
    const error = await session.openStream({ streamtype: 'error' });
    const stdin = await session.openStream({ streamtype: 'stdin' });
    const stdout = await session.openStream({ streamtype: 'stdout' });
    const stderr = await session.openStream({ streamtype: 'stderr' });
    const read = (s: NodeJS.ReadableStream): Promise<string> =>
      new Promise((resolve) => {
        let out = '';
        s.on('data', (d: Buffer) => (out += d.toString()));
        s.on('end', () => resolve(out));
      });
    const [out, err, status] = [read(stdout), read(stderr), read(error)];
    stdin.end('over spdy');
    assert.equal(await out, 'over spdy');
    assert.equal(await err, 'warn\n');
    const st = JSON.parse(await status) as { reason: string; details: { causes: { message: string }[] } };
    assert.equal(st.reason, 'NonZeroExitCode');
    assert.equal(st.details.causes[0]?.message, '3');
    session.destroy();
  });
});
