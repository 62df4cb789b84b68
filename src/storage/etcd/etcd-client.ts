// A small etcd v3 client on gRPC: one channel per endpoint, requests pinned to
// one endpoint and moved to the next when it fails, every call bounded by a
// deadline so that a cluster without quorum yields an error, never a hang.

import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { StorageError, StorageErrorCode } from '../interface.ts';

export type ResponseHeader = { revision: number; member_id: number; raft_term: number };
export type EtcdKeyValue = {
  key: Buffer;
  value: Buffer;
  create_revision: number;
  mod_revision: number;
  version: number;
  lease: number;
};
export type RangeRequest = {
  key: Buffer;
  range_end?: Buffer;
  limit?: number;
  revision?: number;
  serializable?: boolean;
  keys_only?: boolean;
  count_only?: boolean;
};
export type RangeResponse = { header: ResponseHeader; kvs: EtcdKeyValue[]; more: boolean; count: number };
export type PutRequest = { key: Buffer; value: Buffer; prev_kv?: boolean };
export type PutResponse = { header: ResponseHeader; prev_kv: EtcdKeyValue | null };
export type DeleteRangeRequest = { key: Buffer; range_end?: Buffer; prev_kv?: boolean };
export type DeleteRangeResponse = { header: ResponseHeader; deleted: number; prev_kvs: EtcdKeyValue[] };
export type Compare = {
  result: 'EQUAL' | 'GREATER' | 'LESS' | 'NOT_EQUAL';
  target: 'VERSION' | 'CREATE' | 'MOD' | 'VALUE';
  key: Buffer;
  version?: number;
  create_revision?: number;
  mod_revision?: number;
};
export type RequestOp = { request_range?: RangeRequest; request_put?: PutRequest; request_delete_range?: DeleteRangeRequest };
export type ResponseOp = {
  response_range: RangeResponse | null;
  response_put: PutResponse | null;
  response_delete_range: DeleteRangeResponse | null;
};
export type TxnRequest = { compare: Compare[]; success: RequestOp[]; failure: RequestOp[] };
export type TxnResponse = { header: ResponseHeader; succeeded: boolean; responses: ResponseOp[] };
export type StatusResponse = { header: ResponseHeader; version: string; leader: number; raftIndex: number; errors: string[] };
export type EtcdEvent = { type: 'PUT' | 'DELETE'; kv: EtcdKeyValue | null; prev_kv: EtcdKeyValue | null };
export type WatchCreateRequest = { key: Buffer; range_end?: Buffer; start_revision?: number; prev_kv?: boolean; progress_notify?: boolean };
export type WatchRequest = { create_request?: WatchCreateRequest; cancel_request?: { watch_id: number } };
export type WatchResponse = {
  header: ResponseHeader | null;
  watch_id: number;
  created: boolean;
  canceled: boolean;
  compact_revision: number;
  cancel_reason: string;
  events: EtcdEvent[];
};
export type WatchStream = grpc.ClientDuplexStream<WatchRequest, WatchResponse>;

export type EtcdClientOptions = {
  /** `http://host:port` or `host:port`; TLS endpoints are not supported yet. */
  endpoints: string[];
  /** Upper bound for one storage operation, retries included. Default 5 s. */
  requestTimeoutMs?: number;
};

type Callback = (err: grpc.ServiceError | null, res?: unknown) => void;
type StreamMethod = (md: grpc.Metadata, opts: grpc.CallOptions) => unknown;
type UnaryMethod = (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: Callback) => grpc.ClientUnaryCall;
type Endpoint = { address: string; kv: grpc.Client; watch: grpc.Client; maintenance: grpc.Client };

const PROTO = fileURLToPath(new URL('./rpc.proto', import.meta.url));
let services: Record<'KV' | 'Watch' | 'Maintenance', grpc.ServiceClientConstructor> | undefined;

function loadServices(): Record<'KV' | 'Watch' | 'Maintenance', grpc.ServiceClientConstructor> {
  if (!services) {
    const def = protoLoader.loadSync(PROTO, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
    const pkg = grpc.loadPackageDefinition(def)['etcdserverpb'] as unknown as Record<string, grpc.ServiceClientConstructor>;
    services = { KV: pkg['KV']!, Watch: pkg['Watch']!, Maintenance: pkg['Maintenance']! };
  }
  return services;
}

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
  // Notice dead members on idle watch streams, and come back quickly after an outage.
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 2_000,
};

export class EtcdClient {
  readonly requestTimeoutMs: number;
  private readonly endpoints: Endpoint[];
  private current = 0;
  private closed = false;

  constructor(opts: EtcdClientOptions) {
    if (opts.endpoints.length === 0) throw new Error('etcd: no endpoints given');
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 5_000;
    const svc = loadServices();
    const creds = grpc.credentials.createInsecure();
    this.endpoints = opts.endpoints.map((url) => {
      const address = endpointAddress(url);
      return {
        address,
        kv: new svc.KV(address, creds, CHANNEL_OPTIONS),
        watch: new svc.Watch(address, creds, CHANNEL_OPTIONS),
        maintenance: new svc.Maintenance(address, creds, CHANNEL_OPTIONS),
      };
    });
  }

  /** Reads are safe to repeat: retried on the next endpoint until the deadline. */
  range(req: RangeRequest, deadline = this.deadline()): Promise<RangeResponse> {
    return this.unary('kv', 'Range', req, deadline, true) as Promise<RangeResponse>;
  }

  /** One attempt (on a slice of the deadline); throws the raw gRPC error, the caller decides whether to repeat. */
  txn(req: TxnRequest, deadline = this.deadline()): Promise<TxnResponse> {
    return this.unary('kv', 'Txn', req, deadline, false) as Promise<TxnResponse>;
  }

  put(req: PutRequest, deadline = this.deadline()): Promise<PutResponse> {
    return this.unary('kv', 'Put', req, deadline, false) as Promise<PutResponse>;
  }

  deleteRange(req: DeleteRangeRequest, deadline = this.deadline()): Promise<DeleteRangeResponse> {
    return this.unary('kv', 'DeleteRange', req, deadline, false) as Promise<DeleteRangeResponse>;
  }

  async compact(revision: number, deadline = this.deadline()): Promise<void> {
    await this.unary('kv', 'Compact', { revision, physical: false }, deadline, true);
  }

  /** Status of one member (by index into the endpoints), without failover. */
  status(index: number, deadline = this.deadline()): Promise<StatusResponse> {
    const ep = this.endpoints[index];
    if (!ep) return Promise.reject(new Error(`etcd: no endpoint ${index}`));
    return this.callOnce(ep, 'maintenance', 'Status', {}, deadline) as Promise<StatusResponse>;
  }

  /**
   * A watch stream on the pinned endpoint. `hasleader` makes a member that lost
   * its leader end the stream, so the watcher moves to a member that has one.
   */
  openWatch(): { stream: WatchStream; endpoint: string } {
    const ep = this.endpoints[this.current]!;
    const md = new grpc.Metadata();
    md.set('hasleader', 'true');
    const open = (ep.watch as unknown as Record<string, StreamMethod>)['Watch']!;
    const stream = open.call(ep.watch, md, {}) as WatchStream;
    return { stream, endpoint: ep.address };
  }

  /** Moves away from `address` after it failed (a no-op if requests already moved). */
  failed(address: string): void {
    if (this.endpoints[this.current]?.address === address) this.current = (this.current + 1) % this.endpoints.length;
  }

  deadline(): number {
    return Date.now() + this.requestTimeoutMs;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const ep of this.endpoints) {
      ep.kv.close();
      ep.watch.close();
      ep.maintenance.close();
    }
  }

  private async unary(svc: 'kv' | 'maintenance', method: string, req: unknown, deadline: number, retry: boolean): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new StorageError(StorageErrorCode.Unavailable, '', 'etcd client is closed');
      const ep = this.endpoints[this.current]!;
      // A member that hangs (partitioned, or its proposal went to a leader that
      // just died) must leave time to try the others.
      const slice = Math.max(1_000, this.requestTimeoutMs / 2);
      const attemptDeadline = Math.min(deadline, Date.now() + slice);
      try {
        return await this.callOnce(ep, svc, method, req, attemptDeadline);
      } catch (err) {
        const transient = isTransient(err);
        if (transient) this.failed(ep.address);
        // Writes get the raw gRPC error: only the caller knows if repeating is safe.
        if (!retry) throw err;
        if (!transient || Date.now() >= deadline - 20) throw toStorageError(err, method);
        await new Promise((r) => setTimeout(r, Math.min(25 * 2 ** attempt, 500)));
      }
    }
  }

  private callOnce(ep: Endpoint, svc: 'kv' | 'maintenance', method: string, req: unknown, deadline: number): Promise<unknown> {
    const client = ep[svc];
    const fn = (client as unknown as Record<string, UnaryMethod>)[method]!;
    return new Promise((resolve, reject) => {
      fn.call(client, req, new grpc.Metadata(), { deadline: new Date(deadline) }, (err, res) => (err ? reject(err) : resolve(res)));
    });
  }
}

/** Errors after which another attempt (possibly on another member) may succeed. */
export function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === grpc.status.UNAVAILABLE || code === grpc.status.DEADLINE_EXCEEDED;
}

export function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Anything the store cannot answer right now becomes 'Unavailable' (a 503 for clients). */
export function toStorageError(err: unknown, what: string): Error {
  if (err instanceof StorageError) return err;
  const code = grpcCode(err);
  if (code === undefined) return err instanceof Error ? err : new Error(String(err));
  const details = (err as { details?: string }).details || (err as Error).message;
  const reason = code === grpc.status.DEADLINE_EXCEEDED ? `no answer within the request timeout (${details})` : details;
  return new StorageError(StorageErrorCode.Unavailable, '', `etcd ${what} failed: ${reason}`, 0, { cause: err });
}

function endpointAddress(url: string): string {
  const m = /^(?:(https?):\/\/)?([^/]+)\/?$/.exec(url.trim());
  if (!m) throw new Error(`etcd: invalid endpoint ${JSON.stringify(url)}`);
  if (m[1] === 'https') throw new Error(`etcd: TLS endpoints are not supported yet: ${url}`);
  return m[2]!;
}
