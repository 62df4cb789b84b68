// pods/log, pods/exec, pods/attach and pods/portforward: forwarded to the
// kubelet of the pod's node with the cluster token. Logs are streamed back
// as they come; upgrades (WebSocket or SPDY) are piped raw both ways, so
// the kubelet speaks to kubectl directly.

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { badRequest, isStatusError, methodNotAllowed, serviceUnavailable, statusError, type Status } from '../../machinery/status.ts';
import { parseRequestInfo } from '../request-info.ts';
import type { Registry } from '../registry/registry.ts';
import { sendStatus } from '../codec.ts';
import { endSocketWithStatus } from '../../machinery/socket-status.ts';
import type { HandlerContext } from './context.ts';
import { hostPort, podContainer, podKubelet, type KubeletAddress } from './node-proxy-target.ts';

const logParams = ['follow', 'previous', 'tailLines', 'sinceSeconds', 'sinceTime', 'timestamps', 'limitBytes', 'stream'];

function unreachable(k: KubeletAddress, e: Error): ReturnType<typeof serviceUnavailable> {
  return serviceUnavailable(`the kubelet of node "${k.nodeName}" at ${hostPort(k)} did not answer: ${e.message}`);
}

/** GET pods/{name}/log: the kubelet's /containerLogs, streamed. */
export async function handlePodLog(ctx: HandlerContext, kubeletToken: string | undefined): Promise<void> {
  if (ctx.request.verb !== 'connect' || ctx.req.method !== 'GET') throw methodNotAllowed('pods/log supports only GET');
  const ns = ctx.request.namespace ?? 'default';
  const { pod, kubelet } = await podKubelet(ctx.registry, ns, ctx.request.name!);
  const container = podContainer(pod, ctx.query.get('container'));
  const q = new URLSearchParams();
  for (const p of logParams) {
    const v = ctx.query.get(p);
    if (v !== null) q.set(p, v);
  }
  const path = `/containerLogs/${enc(ns)}/${enc(ctx.request.name!)}/${enc(container)}${q.size > 0 ? `?${q}` : ''}`;
  const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
    const r = httpRequest({ host: kubelet.host, port: kubelet.port, path, method: 'GET', agent: false, headers: authHeader(kubeletToken) }, resolve);
    r.once('error', (e) => reject(unreachable(kubelet, e)));
    // Bound the connect only: a followed log may stay quiet for hours.
    r.once('socket', (sock) => {
      const timer = setTimeout(() => r.destroy(new Error('connect timed out after 10 s')), 10_000);
      sock.once('connect', () => clearTimeout(timer));
      sock.once('close', () => clearTimeout(timer));
    });
    ctx.res.once('close', () => r.destroy());
    r.end();
  });
  if (upstream.statusCode !== 200) {
    const body = await readAll(upstream);
    sendStatus(ctx.res, kubeletError(upstream.statusCode ?? 502, body));
    return;
  }
  ctx.res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  ctx.res.flushHeaders();
  await new Promise<void>((resolve) => {
    upstream.on('data', (chunk: Buffer) => {
      if (!ctx.res.write(chunk)) {
        upstream.pause();
        ctx.res.once('drain', () => upstream.resume());
      }
    });
    upstream.once('end', resolve);
    upstream.once('error', resolve);
    upstream.once('close', resolve);
    ctx.res.once('close', () => {
      upstream.destroy();
      resolve();
    });
  });
  ctx.res.end();
}

/** A kubelet's error answer as a Status: its own Status when it sent one. */
function kubeletError(code: number, body: string): Status {
  // Not the client's credentials at fault: the kubelet refused ours.
  if (code === 401 || code === 403) return serviceUnavailable(`the kubelet refused the API server's token (${code}): is the agent using this cluster's token?`).status;
  try {
    const v = JSON.parse(body) as Status;
    if (v && v.kind === 'Status') return v;
  } catch {
    // Not JSON: wrap the text.
  }
  const reason = code === 404 ? 'NotFound' : code === 401 ? 'Unauthorized' : code >= 500 ? 'InternalError' : 'BadRequest';
  return statusError(code, reason, body.trim() || `the kubelet answered ${code}`).status;
}

/**
 * An upgrade request to the API server: pods/exec|attach|portforward go to
 * the kubelet; everything else is refused. Never throws.
 */
export async function handleUpgrade(
  registry: Registry,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  kubeletToken: string | undefined,
  log: (line: string) => void,
): Promise<void> {
  socket.on('error', () => {});
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const ri = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
    const sub = ri.isResource && ri.group === '' && ri.resource === 'pods' ? ri.subresource : undefined;
    if (!ri.isResource || (sub !== 'exec' && sub !== 'attach' && sub !== 'portforward') || !ri.name) {
      throw badRequest(`upgrade requests are served only for pods/exec, pods/attach and pods/portforward, not ${url.pathname}`);
    }
    if (req.method !== 'GET' && req.method !== 'POST') throw methodNotAllowed(`pods/${sub} supports GET and POST`);
    const ns = ri.namespace ?? 'default';
    const { pod, kubelet } = await podKubelet(registry, ns, ri.name);
    let path: string;
    if (sub === 'portforward') path = `/portForward/${enc(ns)}/${enc(ri.name)}`;
    else path = `/${sub}/${enc(ns)}/${enc(ri.name)}/${enc(podContainer(pod, url.searchParams.get('container')))}`;
    path += url.search;
    const upstream = await dial(kubelet);
    pipeUpgrade(req, socket, head, upstream, path, kubelet, kubeletToken);
  } catch (e) {
    if (!isStatusError(e)) log(`error: upgrade ${req.method} ${req.url}: ${(e as Error)?.stack ?? String(e)}`);
    const status = isStatusError(e) ? e.status : statusError(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`).status;
    endSocketWithStatus(socket, status);
  }
}

function dial(k: KubeletAddress): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: k.host, port: k.port });
    const timer = setTimeout(() => s.destroy(new Error('timed out after 10 s')), 10_000);
    s.once('connect', () => {
      clearTimeout(timer);
      resolve(s);
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(unreachable(k, e));
    });
  });
}

/** Replays the client's request (path rewritten, token added) to the kubelet, then pipes both ways. */
function pipeUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, upstream: Socket, path: string, k: KubeletAddress, token: string | undefined): void {
  const lines = [`${req.method} ${path} HTTP/1.1`, `Host: ${hostPort(k)}`];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'host' || name === 'authorization') continue;
    lines.push(`${raw[i]}: ${raw[i + 1]}`);
  }
  if (token) lines.push(`Authorization: Bearer ${token}`);
  upstream.write(lines.join('\r\n') + '\r\n\r\n');
  if (head.length > 0) upstream.write(head);
  upstream.setNoDelay(true);
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
  upstream.once('close', () => client.destroy());
  client.once('close', () => upstream.destroy());
  upstream.pipe(client);
  client.pipe(upstream);
}

function authHeader(token: string | undefined): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

function readAll(r: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    r.once('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
