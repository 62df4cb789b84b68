import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { createServer as createH2Server, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { RuntimeProber, resolvePort, type ProbeTarget } from './prober.ts';
import { FakeRuntime } from './runtime/fake-runtime.ts';
import type { ContainerSpec } from './types.ts';

let http: Server;
let tcp: NetServer;
let grpc: Http2Server;
let serving = true;
const port = (s: { address(): unknown }) => (s.address() as AddressInfo).port;

before(async () => {
  http = createServer((req, res) => {
    res.statusCode = req.url === '/healthz' ? 200 : req.url === '/redirect' ? 302 : 500;
    res.end(req.headers['user-agent']);
  });
  tcp = createNetServer((s) => s.end());
  // A gRPC health service: answers SERVING (1) or NOT_SERVING (2).
  grpc = createH2Server();
  grpc.on('stream', (stream) => {
    stream.on('data', () => {});
    stream.on('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(Buffer.from([0, 0, 0, 0, 2, 0x08, serving ? 1 : 2]));
    });
  });
  await Promise.all([http, tcp, grpc].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))));
});

after(() => {
  http.close();
  tcp.close();
  grpc.close();
});

const container: ContainerSpec = { name: 'app', ports: [{ name: 'web', containerPort: 8080 }] };
const target = (containerId = ''): ProbeTarget => ({ pod: { metadata: {}, spec: { containers: [container] } }, container, containerId, podIP: '127.0.0.1', kind: 'readiness' });

test('named ports resolve through the container ports', () => {
  assert.equal(resolvePort('web', container), 8080);
  assert.equal(resolvePort('81', container), 81);
  assert.equal(resolvePort(82, container), 82);
  assert.equal(resolvePort('nope', container), undefined);
});

test('httpGet: 2xx and 3xx succeed, others fail with the status code', async () => {
  const p = new RuntimeProber(new FakeRuntime());
  assert.equal((await p.probe(target(), { httpGet: { port: port(http), path: '/healthz' } }, 1000)).ok, true);
  assert.equal((await p.probe(target(), { httpGet: { port: port(http), path: '/redirect' } }, 1000)).ok, true);
  const bad = await p.probe(target(), { httpGet: { port: port(http), path: '/broken' } }, 1000);
  assert.deepEqual(bad, { ok: false, output: 'HTTP probe failed with statuscode: 500' });
});

test('tcpSocket: a listening port succeeds, a closed one fails', async () => {
  const p = new RuntimeProber(new FakeRuntime());
  assert.equal((await p.probe(target(), { tcpSocket: { port: port(tcp) } }, 1000)).ok, true);
  tcp.close();
  const closed = await p.probe(target(), { tcpSocket: { port: 1 } }, 1000);
  assert.equal(closed.ok, false);
  assert.match(closed.output, /^dial tcp 127\.0\.0\.1:1: /);
});

test('grpc: the health service answer decides', async () => {
  const p = new RuntimeProber(new FakeRuntime());
  serving = true;
  assert.equal((await p.probe(target(), { grpc: { port: port(grpc) } }, 2000)).ok, true);
  serving = false;
  const r = await p.probe(target(), { grpc: { port: port(grpc), service: 'db' } }, 2000);
  assert.deepEqual(r, { ok: false, output: 'service unhealthy (responded with "NOT_SERVING")' });
});

test('exec: through the runtime, exit code 0 is success', async () => {
  const rt = new FakeRuntime();
  const sb = await rt.runPodSandbox({ metadata: { name: 'p', namespace: 'd', uid: 'u', attempt: 0 }, labels: {}, annotations: { 'sim.skiff.io/fail-probes': 'liveness' } });
  const id = await rt.createContainer(sb, { metadata: { name: 'app', attempt: 0 }, image: { image: 'x' }, command: [], args: [], envs: [], labels: { 'io.kubernetes.pod.uid': 'u' }, annotations: {} }, { metadata: { name: 'p', namespace: 'd', uid: 'u', attempt: 0 }, labels: {}, annotations: { 'sim.skiff.io/fail-probes': 'liveness' } });
  await rt.startContainer(id);
  const p = new RuntimeProber(rt);
  assert.equal((await p.probe(target(id), { exec: { command: ['check', 'readiness'] } }, 1000)).ok, true);
  assert.equal((await p.probe(target(id), { exec: { command: ['check', 'liveness'] } }, 1000)).ok, false);
});
