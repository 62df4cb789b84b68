// /portForward/{namespace}/{pod} on the kubelet server: accepts the three
// ways clients ask for port forwarding and relays every connection to the
// pod through the runtime's streaming server.
//  (a) WebSocket with subprotocol `SPDY/3.1+portforward.k8s.io` — kubectl
//      1.31+: SPDY frames inside binary messages;
//  (b) `Upgrade: SPDY/3.1` with `X-Stream-Protocol-Version: portforward.k8s.io`
//      — older kubectl and kubectl's fallback;
//  (c) WebSocket `v4.channel.k8s.io` / `portforward.k8s.io` with `?ports=` —
//      client libraries.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, createWebSocketStream, type WebSocket } from 'ws';
import type { RuntimeService } from '../runtime/runtime.ts';
import { PortForwardUpstream } from './port-forward-upstream.ts';
import { servePortForwardSpdy } from './port-forward-spdy.ts';
import { servePortForwardWebSocket } from './port-forward-websocket.ts';
import { SpdySession } from './spdy/session.ts';
import { writeSocketStatus } from './http-status.ts';
import { headerList, offeredProtocols } from './stream-request.ts';

export type PortForwardContext = {
  runtime: RuntimeService;
  sandboxIdFor(namespace: string, pod: string): Promise<string | undefined>;
  log(line: string): void;
};

const spdyTunnel = 'SPDY/3.1+portforward.k8s.io';
// `ws` refuses a `/` in subprotocol names (not an HTTP token character); it sees this alias instead.
const spdyTunnelAlias = 'SPDY_3.1+portforward.k8s.io';
const modeNames = { tunnel: 'SPDY in WebSocket', spdy: 'SPDY', channels: 'WebSocket channels' } as const;
const channelProtocols = ['v4.channel.k8s.io', 'portforward.k8s.io', 'channel.k8s.io'];

export async function handlePortForward(req: IncomingMessage, socket: Duplex, head: Buffer, ctx: PortForwardContext): Promise<void> {
  socket.on('error', (e) => ctx.log(`port-forward: client connection error: ${e.message}`));
  try {
    const url = new URL(req.url ?? '/', 'http://kubelet');
    // /portForward/{namespace}/{pod} or /portForward/{namespace}/{pod}/{uid}
    const seg = url.pathname.split('/').filter(Boolean);
    const at = seg.findIndex((p) => p.toLowerCase() === 'portforward');
    if (at < 0 || seg.length - at < 3 || seg.length - at > 4) {
      return writeSocketStatus(socket, 404, 'NotFound', `no pod in the path ${url.pathname}: expected /portForward/{namespace}/{pod}`);
    }
    const namespace = decodeURIComponent(seg[at + 1]!);
    const pod = decodeURIComponent(seg[at + 2]!);
    const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
    const wsProtocols = offeredProtocols(req);
    const spdyVersions = headerList(req.headers['x-stream-protocol-version']);

    let mode: 'tunnel' | 'spdy' | 'channels';
    if (upgrade === 'websocket' && wsProtocols.includes(spdyTunnel)) mode = 'tunnel';
    else if (upgrade === 'websocket') mode = 'channels';
    else if (upgrade.startsWith('spdy/3.1')) mode = 'spdy';
    else return writeSocketStatus(socket, 400, 'BadRequest', `port forwarding needs an upgrade to websocket or SPDY/3.1, got "${req.headers.upgrade ?? ''}"`);
    if (mode === 'spdy' && spdyVersions.length > 0 && !spdyVersions.includes('portforward.k8s.io')) {
      return writeSocketStatus(socket, 403, 'Forbidden', `unable to upgrade: no common protocol: client offers ${spdyVersions.join(', ')}, server speaks portforward.k8s.io`);
    }
    let ports: number[] = [];
    if (mode === 'channels') {
      ports = url.searchParams.getAll('ports').flatMap((p) => p.split(',')).filter(Boolean).map(Number);
      const bad = ports.find((p) => !Number.isInteger(p) || p < 1 || p > 65535);
      if (ports.length === 0 || bad !== undefined) {
        return writeSocketStatus(socket, 400, 'BadRequest', `query parameter "ports" must list ports 1-65535${bad !== undefined ? `, got ${bad}` : ''}`);
      }
    }

    const podSandboxId = await ctx.sandboxIdFor(namespace, pod);
    if (!podSandboxId) return writeSocketStatus(socket, 404, 'NotFound', `pod "${pod}" in namespace "${namespace}" has no running sandbox on this node`);
    const upstream = new PortForwardUpstream({ runtime: ctx.runtime, podSandboxId, log: ctx.log });
    ctx.log(`port-forward: ${namespace}/${pod} (${modeNames[mode]})`);

    if (mode === 'spdy') {
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' + 'X-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n',
      );
      if (head.length > 0) socket.unshift(head);
      setNoDelay(socket);
      servePortForwardSpdy(new SpdySession(socket, { role: 'server', log: ctx.log }), upstream, ctx.log);
      return;
    }

    const ws = await acceptWebSocket(req, socket, head, mode === 'tunnel' ? [spdyTunnel] : channelProtocols);
    if (!ws) return upstream.close();
    setNoDelay(socket);
    if (mode === 'tunnel') {
      const transport = createWebSocketStream(ws);
      transport.on('error', () => undefined);
      servePortForwardSpdy(new SpdySession(transport, { role: 'server', log: ctx.log }), upstream, ctx.log);
    } else {
      servePortForwardWebSocket(ws, ports, upstream, ctx.log);
    }
  } catch (e) {
    ctx.log(`port-forward: ${(e as Error).message}`);
    writeSocketStatus(socket, 500, 'InternalError', `port forwarding failed: ${(e as Error).message}`);
  }
}

/** Completes the WebSocket handshake choosing the first client protocol we speak (or none if the client names none). */
function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, speak: string[]): Promise<WebSocket | undefined> {
  const offered = String(req.headers['sec-websocket-protocol'] ?? '');
  if (offered.includes(spdyTunnel)) req.headers['sec-websocket-protocol'] = offered.split(spdyTunnel).join(spdyTunnelAlias);
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    handleProtocols: (protocols) => {
      for (const p of protocols) {
        const real = p === spdyTunnelAlias ? spdyTunnel : p;
        if (speak.includes(real)) return p;
      }
      return false;
    },
  });
  if (offered && !offered.split(',').some((p) => speak.includes(p.trim()))) {
    writeSocketStatus(socket, 400, 'BadRequest', `no common WebSocket subprotocol: client offers "${offered}", server speaks ${speak.join(', ')}`);
    return Promise.resolve(undefined);
  }
  wss.on('headers', (headers: string[]) => {
    for (let i = 0; i < headers.length; i++) headers[i] = headers[i]!.replace(spdyTunnelAlias, spdyTunnel);
  });
  return new Promise((resolve) => {
    socket.once('close', () => resolve(undefined));
    wss.handleUpgrade(req, socket, head, (ws) => resolve(ws));
  });
}

function setNoDelay(socket: Duplex): void {
  (socket as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
}
