// GET /containerLogs/{namespace}/{pod}/{container}: the container's CRI log
// file as text, with the PodLogOptions query (follow, previous, tailLines,
// sinceSeconds, sinceTime, timestamps, limitBytes).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeService } from '../runtime/runtime.ts';
import type { Pod } from '../types.ts';
import { findLogContainer } from './container-lookup.ts';
import { writeCriLog, type LogOptions } from './cri-log.ts';
import { writeStatus } from './http-status.ts';

export type LogQuery = LogOptions & { previous: boolean };

const isTrue = (v: string | null): boolean => v === 'true' || v === '1';

/** Reads the PodLogOptions query; a string is the error to answer with (400). */
export function parseLogQuery(q: URLSearchParams, now: number): LogQuery | string {
  const out: LogQuery = { previous: isTrue(q.get('previous')) };
  if (isTrue(q.get('follow'))) out.follow = true;
  if (isTrue(q.get('timestamps'))) out.timestamps = true;
  const int = (name: string, min: number): number | string | undefined => {
    const raw = q.get(name);
    if (raw === null || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) return `${name}: Invalid value: ${JSON.stringify(raw)}: must be an integer greater than or equal to ${min}`;
    return n;
  };
  const tail = int('tailLines', 0);
  const limit = int('limitBytes', 1);
  const since = int('sinceSeconds', 1);
  for (const v of [tail, limit, since]) if (typeof v === 'string') return v;
  if (typeof tail === 'number') out.tailLines = tail;
  if (typeof limit === 'number') out.limitBytes = limit;
  const sinceTime = q.get('sinceTime');
  if (typeof since === 'number' && sinceTime) return 'at most one of `sinceTime` or `sinceSeconds` may be specified';
  if (typeof since === 'number') out.sinceMs = now - since * 1000;
  if (sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t)) return `sinceTime: Invalid value: ${JSON.stringify(sinceTime)}: must be an RFC3339 time`;
    out.sinceMs = t;
  }
  const stream = q.get('stream');
  if (stream === 'stdout' || stream === 'stderr') out.stream = stream;
  return out;
}

export type ContainerLogsContext = {
  runtime: RuntimeService;
  pod(namespace: string, name: string): Pod | undefined;
  now(): number;
  log(line: string): void;
};

export async function serveContainerLogs(
  ctx: ContainerLogsContext,
  req: IncomingMessage,
  res: ServerResponse,
  target: { namespace: string; pod: string; container: string },
  query: URLSearchParams,
): Promise<void> {
  const pod = ctx.pod(target.namespace, target.pod);
  if (!pod) return writeStatus(res, 404, 'NotFound', `pod "${target.pod}" not found`);
  const opts = parseLogQuery(query, ctx.now());
  if (typeof opts === 'string') return writeStatus(res, 400, 'BadRequest', opts);
  const found = await findLogContainer(ctx.runtime, pod, target.container, opts.previous);
  if (found.kind === 'error') return writeStatus(res, found.code, found.reason, found.message);
  let logPath = '';
  try {
    logPath = (await ctx.runtime.containerStatus(found.containerId)).logPath ?? '';
  } catch (e) {
    return writeStatus(res, 404, 'NotFound', `container "${target.container}" in pod "${target.pod}" is not available: ${(e as Error).message}`);
  }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  if (!logPath) return void res.end();
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  res.on('close', stop);
  const running = async (): Promise<boolean> => {
    try {
      const s = await ctx.runtime.containerStatus(found.containerId);
      return s.state === 'CONTAINER_RUNNING' || s.state === 'CONTAINER_CREATED';
    } catch {
      return false;
    }
  };
  const sink = async (chunk: string): Promise<void> => {
    if (res.destroyed) return abort.abort();
    if (!res.write(chunk)) await new Promise<void>((r) => {
      res.once('drain', r);
      res.once('close', r);
    });
  };
  try {
    await writeCriLog(logPath, opts, sink, { running, signal: abort.signal });
  } catch (e) {
    ctx.log(`logs of ${target.namespace}/${target.pod}/${target.container}: ${(e as Error).message}`);
  } finally {
    res.off('close', stop);
    res.end();
    void req;
  }
}
