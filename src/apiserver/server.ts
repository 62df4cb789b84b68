// The API server: the only door to cluster state. Routes Kubernetes REST
// requests to discovery, OpenAPI and the resource handlers.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import '../api/install.ts';
import { resourceFor } from '../api/scheme.ts';
import { realClock, type Clock } from '../machinery/clock.ts';
import { internalError, isStatusError, methodNotAllowed, notAcceptable, statusError, StatusError } from '../machinery/status.ts';
import type { Storage } from '../storage/interface.ts';
import { responseFormat, send, sendRaw, sendStatus } from './codec.ts';
import { aggregatedContentType, aggregatedDiscovery, apiGroupDocument, apiGroupList, apiResourceList, apiVersions, wantsAggregated } from './discovery.ts';
import { openApiV2 } from './openapi/v2.ts';
import { sendOpenApiV2Protobuf, wantsOpenApiV2Protobuf } from './openapi/v2-protobuf.ts';
import { openApiV3GroupVersion, openApiV3Root } from './openapi/v3.ts';
import { Registry } from './registry/registry.ts';
import type { ServiceRanges } from './registry/services.ts';
import type { DefaultTolerationSeconds } from './registry/pods.ts';
import { parseRequestInfo } from './request-info.ts';
import type { HandlerContext, ResourceRequest } from './handlers/context.ts';
import { handleGet, handleList } from './handlers/read.ts';
import { handleWatch } from './handlers/watch.ts';
import { handleCreate, handleDelete, handleDeleteCollection, handlePatch, handleUpdate } from './handlers/write.ts';
import { handleBinding, handleEviction, handleFinalize, handleScale } from './handlers/subresources.ts';
import { handlePodLog, handleUpgrade } from './handlers/node-proxy.ts';
import { bootstrap } from './bootstrap.ts';
import { metricsFor } from './metrics/metrics-handler.ts';

export const serverVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0+skiff',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-26T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export type ApiServerOptions = {
  storage: Storage;
  port?: number;
  host?: string;
  clock?: Clock;
  serviceRanges?: ServiceRanges;
  defaultTolerationSeconds?: DefaultTolerationSeconds;
  log?: (line: string) => void;
  /** Sent as a Bearer token to kubelets (logs, exec, attach, port-forward). */
  kubeletToken?: string;
};

export type ApiServer = { url: string; port: number; registry: Registry; server: Server; close(): Promise<void> };

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const clock = opts.clock ?? realClock;
  const log = opts.log ?? (() => {});
  const registry = new Registry({
    storage: opts.storage,
    clock,
    ...(opts.serviceRanges ? { serviceRanges: opts.serviceRanges } : {}),
    ...(opts.defaultTolerationSeconds ? { defaultTolerationSeconds: opts.defaultTolerationSeconds } : {}),
  });
  await registry.start();
  await bootstrap(registry);
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, shouldUpgradeCallback: isStreamUpgrade }, (req, res) => {
    handle(registry, req, res, opts.kubeletToken).catch((e) => {
      const err = isStatusError(e) ? e : internalError('the request could not be handled', e);
      if (!isStatusError(e)) log(`error: ${req.method} ${req.url}: ${(e as Error)?.stack ?? String(e)}`);
      sendStatus(res, err);
    });
  });
  // pods/exec|attach|portforward: piped raw to the kubelet; tracked so close() ends them.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    void handleUpgrade(registry, req, socket, head, opts.kubeletToken, log);
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    registry,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        registry.stop();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of upgraded) s.destroy();
      }),
  };
}

/** `/api/v1/pods/` → `/api/v1/pods`; `/` stays. A loop: the regex /\/+$/ showed in profiles. */
export function withoutTrailingSlashes(path: string): string {
  if (path.length <= 1) return path;
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 0x2f) end--;
  return end === path.length ? path : path.slice(0, end);
}

/** Only stream upgrades leave HTTP; others (e.g. `Upgrade: h2c`) are served as plain requests. */
function isStreamUpgrade(req: IncomingMessage): boolean {
  const u = (req.headers.upgrade ?? '').toLowerCase();
  return u === 'websocket' || u.startsWith('spdy/');
}

async function handle(registry: Registry, req: IncomingMessage, res: ServerResponse, kubeletToken: string | undefined): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = withoutTrailingSlashes(url.pathname);
  const accept = req.headers.accept ?? '';
  const method = req.method ?? 'GET';
  if (path.startsWith('/apis') && (await metricsFor(registry, kubeletToken)(req, res))) return;
  const ri = parseRequestInfo(method, path, url.searchParams);
  if (ri.isResource) {
    await handleResource(registry, req, res, ri, url.searchParams, accept, kubeletToken);
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(`the server does not allow this method on the requested resource: ${method} ${path}`);
  switch (path) {
    case '/version':
      return send(res, 200, serverVersion);
    case '/healthz':
    case '/livez':
    case '/readyz':
    case '/healthz/ping':
    case '/livez/ping':
    case '/readyz/ping':
      return sendRaw(res, 200, 'ok', 'text/plain; charset=utf-8');
    case '/api':
      if (wantsAggregated(accept)) return sendRaw(res, 200, JSON.stringify(aggregatedDiscovery(true)), aggregatedContentType);
      return send(res, 200, apiVersions(req.headers.host ?? '127.0.0.1'));
    case '/apis':
      if (wantsAggregated(accept)) return sendRaw(res, 200, JSON.stringify(aggregatedDiscovery(false)), aggregatedContentType);
      return send(res, 200, apiGroupList());
    case '/openapi/v2':
      // kubectl asks only for the protobuf form (gnostic openapi.v2.Document).
      if (wantsOpenApiV2Protobuf(accept)) return sendOpenApiV2Protobuf(res);
      if (accept && !/application\/json|\*\/\*/.test(accept)) throw notAcceptable('only application/json and application/com.github.proto-openapi.spec.v2@v1.0+protobuf are served for /openapi/v2');
      return sendRaw(res, 200, openApiV2());
    case '/openapi/v3':
      return send(res, 200, openApiV3Root());
    case '/':
      return send(res, 200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/readyz', '/version'] });
  }
  const segments = path.split('/').filter(Boolean);
  if (segments[0] === 'openapi' && segments[1] === 'v3') {
    const gv = segments.slice(2);
    const doc = gv[0] === 'api' && gv.length === 2 ? openApiV3GroupVersion('', gv[1]!) : gv[0] === 'apis' && gv.length === 3 ? openApiV3GroupVersion(gv[1]!, gv[2]!) : undefined;
    if (doc) {
      res.setHeader('Etag', `"${doc.hash}"`);
      return sendRaw(res, 200, doc.body);
    }
  }
  if (segments[0] === 'api' && segments.length === 2) {
    const list = apiResourceList('', segments[1]!);
    if (list) return send(res, 200, list);
  }
  if (segments[0] === 'apis' && segments.length === 2) {
    const doc = apiGroupDocument(segments[1]!);
    if (doc) return send(res, 200, doc);
  }
  if (segments[0] === 'apis' && segments.length === 3) {
    const list = apiResourceList(segments[1]!, segments[2]!);
    if (list) return send(res, 200, list);
  }
  throw notFoundPath();
}

function notFoundPath(): StatusError {
  return statusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

async function handleResource(
  registry: Registry,
  req: IncomingMessage,
  res: ServerResponse,
  request: ResourceRequest,
  query: URLSearchParams,
  accept: string,
  kubeletToken: string | undefined,
): Promise<void> {
  const info = resourceFor(request.group, request.version, request.resource);
  if (!info) throw notFoundPath();
  if (!info.namespaced && request.namespace !== undefined) throw notFoundPath();
  if (request.subresource && !info.subresources.includes(request.subresource as never)) throw notFoundPath();
  const store = info.group === 'events.k8s.io' ? registry.mustStore('', 'events') : registry.mustStore(info.group, info.resource);
  const ctx: HandlerContext = { req, res, query, request, info, store, registry, format: responseFormat(accept), accept };
  const sub = request.subresource;
  if (sub === undefined || sub === 'status') {
    switch (request.verb) {
      case 'get':
        return handleGet(ctx);
      case 'list':
        if (sub) throw notFoundPath();
        return handleList(ctx);
      case 'watch':
        if (sub) throw notFoundPath();
        return handleWatch(ctx);
      case 'create':
        if (sub || request.name !== undefined) throw methodNotAllowed(`POST is not supported on a named ${info.kind}: use PUT or PATCH`);
        return handleCreate(ctx);
      case 'update':
        if (request.name === undefined) throw methodNotAllowed(`PUT needs the name of the ${info.kind} in the URL`);
        return handleUpdate(ctx);
      case 'patch':
        if (request.name === undefined) throw methodNotAllowed(`PATCH needs the name of the ${info.kind} in the URL`);
        return handlePatch(ctx);
      case 'delete':
        if (sub) throw methodNotAllowed('DELETE is not supported on the status subresource');
        return handleDelete(ctx);
      case 'deletecollection':
        return handleDeleteCollection(ctx);
      default:
        throw methodNotAllowed(`${request.verb} is not supported here`);
    }
  }
  switch (sub) {
    case 'scale':
      return handleScale(ctx);
    case 'binding':
      if (request.verb !== 'create') throw methodNotAllowed('binding supports only POST');
      return handleBinding(ctx);
    case 'eviction':
      if (request.verb !== 'create') throw methodNotAllowed('eviction supports only POST');
      return handleEviction(ctx);
    case 'finalize':
      if (request.verb !== 'update') throw methodNotAllowed('finalize supports only PUT');
      return handleFinalize(ctx);
    case 'log':
      return handlePodLog(ctx, kubeletToken);
    case 'exec':
    case 'attach':
    case 'portforward':
      throw statusError(400, 'BadRequest', `Upgrade request required: ${info.resource}/${sub} is a WebSocket or SPDY stream`);
  }
  throw statusError(
    400,
    'BadRequest',
    `${info.resource}/${sub} needs a node agent to stream from, and ${info.kind} "${request.name}" has none reachable in this cluster`,
  );
}

