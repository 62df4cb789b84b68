// The kubelet's HTTP server, which the API server calls for logs, exec,
// attach, port-forward and stats. Every caller must present the cluster
// token as a Bearer token.

import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { realClock, type Clock } from '../../machinery/clock.ts';
import { runtimeLabels, type ImageService, type RuntimeService } from '../runtime/runtime.ts';
import type { Pod } from '../types.ts';
import { serveContainerLogs } from './container-logs.ts';
import { statusBody, writeSocketStatus, writeStatus } from './http-status.ts';
import type { OpenRuntimeStream } from './runtime-stream.ts';
import { openRuntimeStreamSpdy } from './runtime-stream-spdy.ts';
import { statsSummary } from './stats-summary.ts';
import { handlePortForward } from './port-forward.ts';
import { pickChannelProtocol } from './stream-relay.ts';
import { serveStreamUpgrade, type StreamRequestContext } from './stream-request.ts';

export type KubeletServerOptions = {
  host: string;
  /** 0 = a free port. */
  port: number;
  token: string;
  runtime: RuntimeService;
  images: ImageService;
  /** The kubelet's current view of a pod. */
  pod(namespace: string, name: string): Pod | undefined;
  pods(): Pod[];
  nodeName: string;
  log(line: string): void;
  /** How to reach the runtime's streaming server; default SPDY, which can end stdin (WebSocket: openRuntimeStreamWebSocket). */
  openStream?: OpenRuntimeStream;
  clock?: Clock;
};

export type KubeletServer = { port: number; close(): Promise<void> };

export async function startKubeletServer(opts: KubeletServerOptions): Promise<KubeletServer> {
  const clock = opts.clock ?? realClock;
  const expected = Buffer.from(`Bearer ${opts.token}`);
  const authorized = (req: IncomingMessage): boolean => {
    const got = Buffer.from(req.headers.authorization ?? '');
    return opts.token !== '' && got.length === expected.length && timingSafeEqual(got, expected);
  };
  const streamCtx: StreamRequestContext = {
    runtime: opts.runtime,
    pod: opts.pod,
    openStream: opts.openStream ?? openRuntimeStreamSpdy,
    log: opts.log,
  };
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => pickChannelProtocol(offered) ?? false,
  });

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!authorized(req)) return writeStatus(res, 401, 'Unauthorized', 'Unauthorized: the kubelet needs the cluster token as a Bearer token');
    const url = new URL(req.url ?? '/', 'http://kubelet');
    const seg = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    if (seg[0] === 'exec' || seg[0] === 'attach' || seg[0] === 'portForward') {
      return writeStatus(res, 400, 'BadRequest', 'Upgrade request required');
    }
    if (method !== 'GET' && method !== 'HEAD') return writeStatus(res, 405, 'MethodNotAllowed', `${method} is not allowed on ${url.pathname}`);
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return void res.end('ok');
    }
    if (url.pathname === '/pods') {
      const body = JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: opts.pods() });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(body);
    }
    if (seg[0] === 'containerLogs' && seg.length === 4) {
      const ctx = { runtime: opts.runtime, pod: opts.pod, now: () => clock.now(), log: opts.log };
      return serveContainerLogs(ctx, req, res, { namespace: seg[1]!, pod: seg[2]!, container: seg[3]! }, url.searchParams);
    }
    if (url.pathname === '/stats/summary') {
      const body = JSON.stringify(await statsSummary({ runtime: opts.runtime, nodeName: opts.nodeName, pods: opts.pods }));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(body);
    }
    return writeStatus(res, 404, 'NotFound', `the kubelet has no ${url.pathname}`);
  };

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    socket.on('error', (e) => opts.log(`kubelet upgrade socket: ${e.message}`));
    if (!authorized(req)) return writeSocketStatus(socket, 401, 'Unauthorized', 'Unauthorized: the kubelet needs the cluster token as a Bearer token');
    const url = new URL(req.url ?? '/', 'http://kubelet');
    const seg = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if ((seg[0] === 'exec' || seg[0] === 'attach') && (seg.length === 4 || seg.length === 5)) {
      // /exec/{ns}/{pod}/{container} or /exec/{ns}/{pod}/{uid}/{container}
      const target = { namespace: seg[1]!, pod: seg[2]!, container: seg[seg.length - 1]! };
      return serveStreamUpgrade(streamCtx, wss, req, socket, head, seg[0], target, url.searchParams);
    }
    if (seg[0] === 'portForward' && (seg.length === 3 || seg.length === 4)) {
      const sandboxIdFor = async (namespace: string, name: string): Promise<string | undefined> => {
        const uid = opts.pod(namespace, name)?.metadata.uid;
        if (!uid) return undefined;
        const list = await opts.runtime.listPodSandbox({ state: 'SANDBOX_READY', labelSelector: { [runtimeLabels.podUid]: uid } });
        return list[0]?.id;
      };
      await handlePortForward(req, socket, head, { runtime: opts.runtime, sandboxIdFor, log: opts.log });
      return;
    }
    return writeSocketStatus(socket, 404, 'NotFound', `the kubelet has no upgrade handler for ${url.pathname}`);
  };

  // Only stream upgrades leave HTTP; others (e.g. `Upgrade: h2c`) are served as plain requests.
  const isStreamUpgrade = (req: IncomingMessage): boolean => {
    const u = (req.headers.upgrade ?? '').toLowerCase();
    return u === 'websocket' || u.startsWith('spdy/');
  };
  const server = createServer({ requestTimeout: 0, shouldUpgradeCallback: isStreamUpgrade }, (req, res) => {
    onRequest(req, res).catch((e: Error) => {
      opts.log(`kubelet server: ${req.method} ${req.url}: ${e.stack ?? e.message}`);
      if (!res.headersSent) {
        const body = statusBody(500, 'InternalError', `the kubelet could not serve ${req.url}: ${e.message}`);
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(body);
      } else res.end();
    });
  });
  // Upgraded sockets leave the HTTP server's books: tracked so close() ends them.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    onUpgrade(req, socket, head).catch((e: Error) => {
      opts.log(`kubelet server: upgrade ${req.url}: ${e.stack ?? e.message}`);
      writeSocketStatus(socket, 500, 'InternalError', `the kubelet could not serve ${req.url}: ${e.message}`);
    });
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of upgraded) s.destroy();
      }),
  };
}
