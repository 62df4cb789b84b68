// The typed REST client over node's http module: keep-alive connection pools,
// JSON bodies, Status errors rebuilt from the server's answer, and watches
// parsed line by line as the chunks arrive.

import http from 'node:http';
import https from 'node:https';
import type { KubeObject } from '../api/meta.ts';
import type { ResourceInfo } from '../api/scheme.ts';
import { StatusError, StatusReason, statusError, type Status } from '../machinery/status.ts';
import type {
  Client,
  ClientWatchEvent,
  DeleteOptions,
  ListOptions,
  ObjectList,
  PatchType,
  WatchOptions,
  WriteOptions,
  DiscardResult,
} from './interfaces.ts';
import { loadKubeconfig, type ClientConfig } from './kubeconfig.ts';
import { withoutManagedFieldsText } from './managed-fields-text.ts';
import { LineSplitter } from './line-splitter.ts';
import { queryString, resourcePath } from './resource-path.ts';

export type RestClientOptions = ClientConfig & {
  userAgent?: string;
  /** Concurrent connections per server for ordinary requests. Default 64. */
  maxSockets?: number;
};

const patchContentTypes: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

const reasonForCode: Record<number, string> = {
  400: StatusReason.BadRequest,
  401: StatusReason.Unauthorized,
  403: StatusReason.Forbidden,
  404: StatusReason.NotFound,
  405: StatusReason.MethodNotAllowed,
  406: StatusReason.NotAcceptable,
  409: StatusReason.Conflict,
  410: StatusReason.Gone,
  413: StatusReason.RequestEntityTooLarge,
  415: StatusReason.UnsupportedMediaType,
  422: StatusReason.Invalid,
  429: StatusReason.TooManyRequests,
  500: StatusReason.InternalError,
  503: StatusReason.ServiceUnavailable,
  504: StatusReason.Timeout,
};

/**
 * `watch`: an ERROR event (e.g. 410 Expired) is not passed to `onEvent`; it ends the
 * watch with `onClose(StatusError)`. `stop()` ends it quietly, without `onClose`.
 */
export class RestClient implements Client {
  readonly server: string;
  private readonly transport: typeof http | typeof https;
  private readonly agent: http.Agent;
  /** Watches hold their connection for minutes: they get their own pool so they never starve requests. */
  private readonly watchAgent: http.Agent;
  private readonly host: string;
  private readonly port: number;
  private readonly basePath: string;
  /**
   * The headers of every request as name/value pairs, Host included: node writes an array as it is,
   * where an object costs a validated setHeader per header per request.
   */
  private readonly headers: string[];

  constructor(opts: RestClientOptions) {
    const url = new URL(opts.server);
    this.server = opts.server.replace(/\/+$/, '');
    const secure = url.protocol === 'https:';
    this.transport = secure ? https : http;
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = Number(url.port) || (secure ? 443 : 80);
    this.basePath = url.pathname.replace(/\/+$/, '');
    const tls: https.AgentOptions = {};
    if (opts.ca) tls.ca = opts.ca;
    if (opts.cert) tls.cert = opts.cert;
    if (opts.key) tls.key = opts.key;
    if (opts.insecureSkipTlsVerify) tls.rejectUnauthorized = false;
    const Agent = secure ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 64, scheduling: 'lifo', ...tls });
    this.watchAgent = new Agent({ keepAlive: false, ...tls });
    // url.host is what node would send: the port unless it is the default, IPv6 in brackets.
    this.headers = ['Host', url.host, 'Accept', 'application/json', 'User-Agent', opts.userAgent ?? 'skiff-client'];
    if (opts.token) this.headers.push('Authorization', `Bearer ${opts.token}`);
  }

  static fromKubeconfig(path: string, opts: { context?: string; userAgent?: string } = {}): RestClient {
    const cfg = loadKubeconfig(path, opts.context);
    return new RestClient(opts.userAgent ? { ...cfg, userAgent: opts.userAgent } : cfg);
  }

  /** Closes pooled connections; in-flight requests finish or fail. */
  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }

  get<T extends KubeObject>(r: ResourceInfo, namespace: string | undefined, name: string, opts: { subresource?: string } = {}): Promise<T> {
    return this.request('GET', resourcePath(r, namespace, name, opts.subresource)) as Promise<T>;
  }

  list<T extends KubeObject>(r: ResourceInfo, namespace: string | undefined, opts: ListOptions = {}): Promise<ObjectList<T>> {
    const q = queryString({
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      limit: opts.limit,
      continue: opts.continue,
      resourceVersion: opts.resourceVersion,
    });
    return this.request('GET', resourcePath(r, namespace) + q) as Promise<ObjectList<T>>;
  }

  create<T extends KubeObject>(r: ResourceInfo, namespace: string | undefined, obj: T, opts: WriteOptions & DiscardResult): Promise<void>;
  create<T extends KubeObject>(r: ResourceInfo, namespace: string | undefined, obj: T, opts?: WriteOptions): Promise<T>;
  create<T extends KubeObject>(r: ResourceInfo, namespace: string | undefined, obj: T, opts: WriteOptions & Partial<DiscardResult> = {}): Promise<T | void> {
    const ns = namespace ?? obj.metadata.namespace;
    const path = opts.subresource ? resourcePath(r, ns, obj.metadata.name ?? '', opts.subresource) : resourcePath(r, ns);
    return this.request('POST', path + writeQuery(opts), JSON.stringify(obj), 'application/json', false, opts.discardResult) as Promise<T | void>;
  }

  update<T extends KubeObject>(r: ResourceInfo, namespace: string | undefined, obj: T, opts: WriteOptions = {}): Promise<T> {
    const ns = namespace ?? obj.metadata.namespace;
    const path = resourcePath(r, ns, obj.metadata.name ?? '', opts.subresource);
    return this.request('PUT', path + writeQuery(opts), JSON.stringify(obj)) as Promise<T>;
  }

  patch(r: ResourceInfo, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: WriteOptions & DiscardResult): Promise<void>;
  patch<T extends KubeObject>(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts?: WriteOptions & { force?: boolean },
  ): Promise<T>;
  patch<T extends KubeObject>(
    r: ResourceInfo,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: WriteOptions & { force?: boolean } & Partial<DiscardResult> = {},
  ): Promise<T | void> {
    const q = writeQuery(opts, type === 'apply' && opts.force !== undefined ? { force: opts.force } : {});
    const body = typeof patch === 'string' ? patch : JSON.stringify(patch);
    const path = resourcePath(r, namespace, name, opts.subresource) + q;
    return this.request('PATCH', path, body, patchContentTypes[type], false, opts.discardResult) as Promise<T | void>;
  }

  async delete(r: ResourceInfo, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<void> {
    const body = Object.keys(opts).length > 0 ? JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...opts }) : undefined;
    await this.request('DELETE', resourcePath(r, namespace, name), body);
  }

  postSubresource(r: ResourceInfo, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<unknown> {
    return this.request('POST', resourcePath(r, namespace, name, subresource), JSON.stringify(body));
  }

  watch<T extends KubeObject>(
    r: ResourceInfo,
    namespace: string | undefined,
    opts: WatchOptions,
    onEvent: (ev: ClientWatchEvent<T>) => void,
    onClose: (err?: Error) => void,
  ): { stop(): void } {
    const path =
      resourcePath(r, namespace) +
      queryString({
        watch: 'true',
        resourceVersion: opts.resourceVersion,
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        allowWatchBookmarks: opts.allowWatchBookmarks ? 'true' : undefined,
        timeoutSeconds: opts.timeoutSeconds,
      });
    const decode = opts.withoutManagedFields ? withoutManagedFieldsText : (line: string) => line;
    let ended = false;
    let req: http.ClientRequest | undefined;
    const end = (err?: Error): void => {
      if (ended) return;
      ended = true;
      req?.destroy();
      onClose(err);
    };
    req = this.transport.request(this.options('GET', path, this.watchAgent), (res) => {
      if (res.statusCode !== 200) {
        readBody(res).then(
          (text) => end(toStatusError(res.statusCode ?? 500, text)),
          (err: Error) => end(err),
        );
        return;
      }
      const lines = new LineSplitter((line) => {
        if (ended) return;
        let ev: ClientWatchEvent<T>;
        try {
          ev = JSON.parse(decode(line)) as ClientWatchEvent<T>;
        } catch {
          end(new Error(`malformed watch event from ${this.server}${path}: ${line.slice(0, 200)}`));
          return;
        }
        if (ev.type === 'ERROR') {
          end(new StatusError(ev.object as unknown as Status));
          return;
        }
        try {
          onEvent(ev);
        } catch (err) {
          // A throwing handler must not take the process down from inside a socket callback.
          end(err instanceof Error ? err : new Error(String(err)));
        }
      });
      res.on('data', (chunk: Buffer) => lines.push(chunk));
      res.on('end', () => {
        lines.end();
        end();
      });
      res.on('error', (err) => end(err));
      res.on('close', () => end(res.complete ? undefined : new Error(`watch of ${path} lost its connection`)));
    });
    req.on('error', (err) => end(err));
    req.end();
    return {
      stop: () => {
        ended = true;
        req?.destroy();
      },
    };
  }

  /**
   * One request; a connection closed by the server while idle in the pool is retried once on a new one.
   * `discard`: a successful answer is not decoded (the promise resolves with undefined).
   */
  request(method: string, path: string, body?: string, contentType = 'application/json', retried = false, discard = false): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const opts = this.options(method, path, this.agent);
      if (body !== undefined) opts.headers = [...this.headers, 'Content-Type', contentType, 'Content-Length', String(Buffer.byteLength(body))];
      const req = this.transport.request(opts, (res) => {
        const code = res.statusCode ?? 500;
        if (discard && code >= 200 && code < 300) {
          res.on('error', reject);
          res.on('end', () => resolve(undefined));
          res.resume();
          return;
        }
        // Read the body here rather than through readBody: one promise less per request.
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
          if (code < 200 || code >= 300) return reject(toStatusError(code, text));
          try {
            resolve(text ? JSON.parse(text) : undefined);
          } catch (err) {
            reject(new Error(`${method} ${path}: the server answered with malformed JSON`, { cause: err }));
          }
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (!retried && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
          this.request(method, path, body, contentType, true, discard).then(resolve, reject);
        } else reject(err);
      });
      req.end(body);
    });
  }

  private options(method: string, path: string, agent: http.Agent): http.RequestOptions {
    return { method, host: this.host, port: this.port, path: this.basePath + path, agent, headers: this.headers };
  }
}

function writeQuery(opts: WriteOptions, extra: Record<string, boolean> = {}): string {
  return queryString({ dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager, ...extra });
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** The server's Status when it sent one, else a Status made from the HTTP code and body. */
export function toStatusError(code: number, text: string): StatusError {
  try {
    const parsed = JSON.parse(text) as Partial<Status>;
    if (parsed && parsed.kind === 'Status' && typeof parsed.code === 'number') return new StatusError(parsed as Status);
  } catch {
    // not JSON: fall through
  }
  const reason = reasonForCode[code] ?? (code >= 500 ? StatusReason.InternalError : StatusReason.BadRequest);
  return statusError(code, reason, text.trim().slice(0, 500) || `the server responded with HTTP ${code}`);
}
