// Port forwarding through handlePortForward, against a stand-in for the
// runtime's streaming server (forwards each data stream to 127.0.0.1:port),
// so the three client protocols and the error paths run without root.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { Duplex } from 'node:stream';
import { WebSocket } from 'ws';
import { handlePortForward } from './port-forward.ts';
import { SpdySession } from './spdy/session.ts';
import type { SpdyStream } from './spdy/stream.ts';
import { upgradeToSpdy } from './spdy/upgrade.ts';
import type { RuntimeService } from '../runtime/runtime.ts';

let target: http.Server; // the "pod"
let targetPort = 0;
let streaming: http.Server; // the runtime's streaming server
let kubelet: http.Server;
let kubeletUrl = '';
const logs: string[] = [];
let portForwardCalls = 0;

async function listen(s: http.Server): Promise<number> {
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  return (s.address() as net.AddressInfo).port;
}

before(async () => {
  target = http.createServer((req, res) => res.end(`hello from the pod: ${req.url}`));
  targetPort = await listen(target);
  streaming = http.createServer((_req, res) => res.writeHead(404).end('no such token'));
  streaming.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n');
    const session = new SpdySession(socket, { role: 'server' });
    const errors = new Map<string, SpdyStream>();
    session.on('stream', (s: SpdyStream) => {
      void s.reply();
      s.on('error', () => undefined);
      if (s.headers.streamtype === 'error') return void errors.set(s.headers.requestid ?? '', s);
      const err = errors.get(s.headers.requestid ?? '');
      const conn = net.connect(Number(s.headers.port), '127.0.0.1');
      conn.on('error', (e) => {
        err?.end(`dial failed: ${e.message}`);
        s.end();
      });
      s.pipe(conn);
      conn.pipe(s);
      conn.on('close', () => err?.end());
    });
  });
  const streamingPort = await listen(streaming);
  const runtime = {
    async portForward(req: { podSandboxId: string; port: number[] }) {
      portForwardCalls++;
      assert.equal(req.podSandboxId, 'sandbox-1');
      return { url: `http://127.0.0.1:${streamingPort}/portforward/token` };
    },
  } as unknown as RuntimeService;
  kubelet = http.createServer((_req, res) => res.writeHead(404).end());
  kubelet.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    void handlePortForward(req, socket, head, {
      runtime,
      sandboxIdFor: async (ns, pod) => (ns === 'default' && pod === 'web' ? 'sandbox-1' : undefined),
      log: (l) => logs.push(l),
    });
  });
  kubeletUrl = `http://127.0.0.1:${await listen(kubelet)}`;
});

after(() => {
  for (const s of [kubelet, streaming, target]) s.closeAllConnections?.(), s.close();
});

async function readAll(s: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

/** One forwarded connection the way kubectl does it: error stream, then data stream, same requestid. */
async function forwardOnce(session: SpdySession, requestId: string, port: number, path: string): Promise<{ body: string; error: string }> {
  const headers = { port: String(port), requestid: requestId };
  const error = await session.openStream({ ...headers, streamtype: 'error' });
  error.end();
  const data = await session.openStream({ ...headers, streamtype: 'data' });
  data.end(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  const [body, err] = await Promise.all([readAll(data), readAll(error)]);
  return { body, error: err };
}

test('SPDY upgrade: concurrent connections reach the pod port, each with its own stream pair', async () => {
  const { session, protocol } = await upgradeToSpdy(`${kubeletUrl}/portForward/default/web`, { protocols: ['portforward.k8s.io'] });
  assert.equal(protocol, 'portforward.k8s.io');
  const results = await Promise.all(['0', '1', '2'].map((id) => forwardOnce(session, id, targetPort, `/r${id}`)));
  for (const [i, r] of results.entries()) {
    assert.match(r.body, /^HTTP\/1.1 200 OK/);
    assert.ok(r.body.endsWith(`hello from the pod: /r${i}`), r.body);
    assert.equal(r.error, '');
  }
  // The upstream connection is shared by the pairs of one client connection.
  const before = portForwardCalls;
  assert.ok((await forwardOnce(session, '3', targetPort, '/again')).body.endsWith('/again'));
  assert.equal(portForwardCalls, before);
  await session.close();
});

test('the /portForward/{ns}/{pod}/{uid} path form names the same pod', async () => {
  const { session } = await upgradeToSpdy(`${kubeletUrl}/portForward/default/web/0b5e-uid`, { protocols: ['portforward.k8s.io'] });
  assert.ok((await forwardOnce(session, '0', targetPort, '/uid')).body.endsWith('/uid'));
  session.destroy();
});

test('SPDY upgrade: a closed pod port comes back as text on the error stream', async () => {
  const closed = net.createServer();
  closed.listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const port = (closed.address() as net.AddressInfo).port;
  closed.close();
  const { session } = await upgradeToSpdy(`${kubeletUrl}/portForward/default/web`, { protocols: ['portforward.k8s.io'] });
  const r = await forwardOnce(session, '0', port, '/');
  assert.equal(r.body, '');
  assert.match(r.error, /dial failed: connect ECONNREFUSED/);
  session.destroy();
});

test('WebSocket channels (?ports=): port prefix per channel, then the data', async () => {
  const ws = new WebSocket(`${kubeletUrl.replace('http', 'ws')}/portForward/default/web?ports=${targetPort}`, ['v4.channel.k8s.io']);
  const messages: Buffer[] = [];
  ws.on('message', (m: Buffer) => messages.push(m));
  await once(ws, 'open');
  assert.equal(ws.protocol, 'v4.channel.k8s.io');
  ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('GET /ws HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]));
  await once(ws, 'close');
  const portBytes = [targetPort & 0xff, targetPort >> 8];
  assert.deepEqual([...messages[0]!], [0, ...portBytes]);
  assert.deepEqual([...messages[1]!], [1, ...portBytes]);
  const data = Buffer.concat(messages.slice(2).filter((m) => m[0] === 0).map((m) => m.subarray(1))).toString();
  assert.ok(data.endsWith('hello from the pod: /ws'), data);
});

test('refusals are Status answers: unknown pod, no upgrade, no common protocol', async () => {
  const status = async (path: string, headers: Record<string, string>): Promise<{ code: number; body: { reason: string; message: string } }> => {
    const req = http.request(`${kubeletUrl}${path}`, { method: 'POST', headers: { Connection: 'Upgrade', ...headers } });
    req.end();
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    return { code: res.statusCode!, body: JSON.parse(await readAll(res)) as { reason: string; message: string } };
  };
  const nope = await status('/portForward/default/nope', { Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'portforward.k8s.io' });
  assert.equal(nope.code, 404);
  assert.match(nope.body.message, /pod "nope" in namespace "default" has no running sandbox/);
  const wrong = await status('/portForward/default/web', { Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' });
  assert.equal(wrong.code, 403);
  assert.match(wrong.body.message, /no common protocol/);
  const noPorts = await status('/portForward/default/web', {
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Protocol': 'v4.channel.k8s.io',
  });
  assert.equal(noPorts.code, 400);
  assert.match(noPorts.body.message, /"ports"/);
});

test('WebSocket tunnel (kubectl 1.31+): SPDY frames in binary messages, under the real subprotocol name', async () => {
  // `ws` cannot send that name (it refuses the `/`), so the client side is done by hand.
  const sock = net.connect(Number(new URL(kubeletUrl).port), '127.0.0.1');
  await once(sock, 'connect');
  sock.write(
    'GET /portForward/default/web HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n\r\n',
  );
  let buf = Buffer.alloc(0);
  while (!buf.includes('\r\n\r\n')) buf = Buffer.concat([buf, ((await once(sock, 'data')) as [Buffer])[0]]);
  const end = buf.indexOf('\r\n\r\n') + 4;
  const handshake = buf.subarray(0, end).toString('latin1');
  assert.match(handshake, /^HTTP\/1.1 101/);
  assert.match(handshake, /Sec-WebSocket-Protocol: SPDY\/3.1\+portforward.k8s.io\r\n/i);
  const session = new SpdySession(webSocketClientStream(sock, buf.subarray(end)), { role: 'client' });
  const results = await Promise.all(['0', '1'].map((id) => forwardOnce(session, id, targetPort, `/tunnel${id}`)));
  for (const [i, r] of results.entries()) assert.ok(r.body.endsWith(`/tunnel${i}`), r.body);
  session.destroy();
});

/** Bytes over a client WebSocket: writes become masked binary messages, message payloads become reads. */
function webSocketClientStream(sock: net.Socket, rest: Buffer): Duplex {
  let pending = rest;
  const duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      const mask = Buffer.from([1, 2, 3, 4]);
      const len = chunk.length;
      const head = len < 126 ? Buffer.from([0x82, 0x80 | len]) : Buffer.from([0x82, 0x80 | 127, 0, 0, 0, 0, len >>> 24, (len >> 16) & 255, (len >> 8) & 255, len & 255]);
      const body = Buffer.from(chunk.map((b, i) => b ^ mask[i % 4]!));
      sock.write(Buffer.concat([head, mask, body]), cb);
    },
    destroy(err, cb) {
      sock.destroy();
      cb(err);
    },
  });
  const parse = (): void => {
    for (;;) {
      if (pending.length < 2) return;
      let len = pending[1]! & 0x7f;
      let off = 2;
      if (len === 126) (len = pending.readUInt16BE(2)), (off = 4);
      else if (len === 127) (len = Number(pending.readBigUInt64BE(2))), (off = 10);
      if (pending.length < off + len) return;
      const opcode = pending[0]! & 0x0f;
      if (opcode === 2 || opcode === 0) duplex.push(pending.subarray(off, off + len));
      if (opcode === 8) duplex.push(null);
      pending = pending.subarray(off + len);
    }
  };
  sock.on('data', (d: Buffer) => {
    pending = Buffer.concat([pending, d]);
    parse();
  });
  sock.on('close', () => duplex.push(null));
  parse();
  return duplex;
}
