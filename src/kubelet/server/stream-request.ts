// /exec and /attach upgrades: find the running container, ask the runtime
// for its streaming URL, open that stream, then accept kubectl's WebSocket
// and relay (or, for SPDY clients, answer the 101 and take their streams).
// Failures before the 101 are HTTP Status answers, which kubectl
// shows as "unable to upgrade connection: …".

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import type { RuntimeService } from '../runtime/runtime.ts';
import type { Pod } from '../types.ts';
import { findRunningContainer } from './container-lookup.ts';
import { writeSocketStatus } from './http-status.ts';
import type { OpenRuntimeStream, RuntimeStream } from './runtime-stream.ts';
import { pickChannelProtocol, relayStream } from './stream-relay.ts';
import { pickSpdyProtocol, relaySpdy } from './stream-relay-spdy.ts';

export type StreamRequestContext = {
  runtime: RuntimeService;
  pod(namespace: string, name: string): Pod | undefined;
  openStream: OpenRuntimeStream;
  log(line: string): void;
};

export type StreamFlags = { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean };

/** Both spellings: the API's (`stdin=true`) and the kubelet's (`input=1`). */
export function parseStreamFlags(q: URLSearchParams): StreamFlags {
  const on = (...names: string[]): boolean => names.some((n) => q.get(n) === 'true' || q.get(n) === '1');
  const tty = on('tty');
  return { stdin: on('stdin', 'input'), stdout: on('stdout', 'output'), stderr: on('stderr', 'error') && !tty, tty };
}

/** The values of a header that may repeat and list several comma-separated values. */
export function headerList(v: string | string[] | undefined): string[] {
  return (Array.isArray(v) ? v : v ? [v] : []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

export function offeredProtocols(req: IncomingMessage): string[] {
  return headerList(req.headers['sec-websocket-protocol']);
}

export async function serveStreamUpgrade(
  ctx: StreamRequestContext,
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  kind: 'exec' | 'attach',
  target: { namespace: string; pod: string; container: string },
  query: URLSearchParams,
): Promise<void> {
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  let spdyProtocol: string | undefined;
  if (upgrade === 'spdy/3.1') {
    const offered = headerList(req.headers['x-stream-protocol-version']);
    spdyProtocol = pickSpdyProtocol(offered);
    if (!spdyProtocol) return writeSocketStatus(socket, 403, 'Forbidden', `none of the offered stream protocols [${offered.join(' ')}] is supported: use v4.channel.k8s.io`);
  } else if (upgrade !== 'websocket') {
    return writeSocketStatus(socket, 400, 'BadRequest', `${kind} is served over WebSocket (v5.channel.k8s.io … channel.k8s.io) or SPDY/3.1; this request asked for "${req.headers.upgrade ?? ''}"`);
  } else if (!pickChannelProtocol(offeredProtocols(req))) {
    return writeSocketStatus(socket, 400, 'BadRequest', `none of the offered WebSocket protocols [${offeredProtocols(req).join(' ')}] is supported: use v5.channel.k8s.io or v4.channel.k8s.io`);
  }
  const flags = parseStreamFlags(query);
  const command = query.getAll('command');
  if (kind === 'exec' && command.length === 0) return writeSocketStatus(socket, 400, 'BadRequest', 'you must specify at least one command for the container');
  if (!flags.stdin && !flags.stdout && !flags.stderr) return writeSocketStatus(socket, 400, 'BadRequest', 'you must specify at least 1 of stdin, stdout, stderr');
  const pod = ctx.pod(target.namespace, target.pod);
  if (!pod) return writeSocketStatus(socket, 404, 'NotFound', `pod "${target.pod}" not found`);
  const found = await findRunningContainer(ctx.runtime, pod, target.container);
  if (found.kind === 'error') return writeSocketStatus(socket, found.code, found.reason, found.message);
  let stream: RuntimeStream;
  try {
    const base = { containerId: found.containerId, tty: flags.tty, stdin: flags.stdin, stdout: flags.stdout, stderr: flags.stderr };
    const { url } = kind === 'exec' ? await ctx.runtime.exec({ ...base, cmd: command }) : await ctx.runtime.attach(base);
    stream = await ctx.openStream(url, flags);
  } catch (e) {
    return writeSocketStatus(socket, 500, 'InternalError', `error ${kind === 'exec' ? 'executing command in' : 'attaching to'} container: ${(e as Error).message}`);
  }
  if (socket.destroyed) return stream.close();
  if (spdyProtocol) {
    await relaySpdy(socket, head, spdyProtocol, flags, stream, ctx.log).catch((e: Error) => {
      ctx.log(`${kind} ${target.namespace}/${target.pod}/${target.container} over SPDY: ${e.message}`);
      stream.close();
      socket.destroy();
    });
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    relayStream(ws, stream, ctx.log).catch((e: Error) => {
      ctx.log(`${kind} ${target.namespace}/${target.pod}/${target.container}: ${e.message}`);
      stream.close();
      ws.terminate();
    });
  });
}
