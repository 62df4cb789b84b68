// WATCH: a chunked stream of JSON events, one per line, served from the watch
// cache; BOOKMARKs on request; 410 Expired as an ERROR event when too old.

import type { KubeObject } from '../../api/meta.ts';
import { expired, isStatusError, type Status } from '../../machinery/status.ts';
import { isStorageError } from '../../storage/interface.ts';
import { buildFilter } from '../selectors.ts';
import { acceptAs, tableContentType, toTable } from '../table.ts';
import { present, type HandlerContext } from './context.ts';
import { eventFrame, type EventType } from '../serialize.ts';
import { parseResourceVersion } from './read.ts';

const bookmarkIntervalMs = 30_000;
const maxBufferedBytes = 16 << 20;
const maxBatchBytes = 1 << 20;

export async function handleWatch(ctx: HandlerContext): Promise<void> {
  const { req, res, query, store, request, info } = ctx;
  const filter = buildFilter(info, query, request.name);
  const rv = parseResourceVersion(query.get('resourceVersion'));
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const sendInitial = query.get('sendInitialEvents') === 'true';
  const timeoutRaw = Number(query.get('timeoutSeconds') ?? '');
  const timeoutMs = Number.isFinite(timeoutRaw) && timeoutRaw > 0 ? timeoutRaw * 1000 : (1800 + Math.random() * 1800) * 1000;
  const asTable = acceptAs(ctx.accept) === 'Table';
  const includeObject = query.get('includeObject');
  const now = () => ctx.registry.clock.now();

  const prefix = store.prefix(request.namespace);
  if (rv === undefined) await store.cache.waitForRevision(await store.storage.currentRevision(), 3000);

  res.writeHead(200, {
    'Content-Type': asTable ? tableContentType : 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  let closed = false;
  let headersSent = false;
  // Events go out in batches: one socket write per watcher per event-loop turn
  // instead of one per event, which dominated fan-out cost. The frames are
  // written one after the other in the same tick, which Node's HTTP response
  // sends in one writev; concatenating them first cost an allocation and a copy
  // of every event per watcher.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let flushScheduled = false;
  const writePending = (): void => {
    if (pending.length === 0 || closed) return;
    const out = pending;
    pending = [];
    pendingBytes = 0;
    for (const frame of out) res.write(frame);
  };
  const flush = (): void => {
    flushScheduled = false;
    writePending();
    // A client that stopped reading must not make us buffer without bound.
    if (res.writableLength > maxBufferedBytes) finish();
  };
  const write = (type: EventType, obj: KubeObject | Status | Record<string, unknown>): void => {
    if (closed) return;
    let frame: Buffer;
    if (asTable && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
      const table = toTable(info, [obj as KubeObject], { resourceVersion: (obj as KubeObject).metadata.resourceVersion ?? '' }, includeObject, now(), !headersSent);
      headersSent = true;
      frame = Buffer.from(`{"type":"${type}","object":${JSON.stringify(table)}}\n`);
    } else {
      frame = eventFrame(type, obj);
    }
    pending.push(frame);
    pendingBytes += frame.length;
    if (pendingBytes >= maxBatchBytes) flush();
    else if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };

  let watcher: { stop(): void } | undefined;
  const timers: NodeJS.Timeout[] = [];
  const finish = (): void => {
    if (closed) return;
    if (!res.destroyed) writePending();
    closed = true;
    watcher?.stop();
    for (const t of timers) clearTimeout(t);
    res.end();
  };
  req.on('close', finish);
  res.on('error', finish);
  timers.push(setTimeout(finish, timeoutMs));

  const fail = (err: unknown): void => {
    const e = isStorageError(err, 'TooOld') ? expired(`too old resource version: ${rv} (${err.revision})`) : store.translate(err, '');
    const status = isStatusError(e) ? e.status : expired('watch ended').status;
    write('ERROR', status);
    finish();
  };

  let from = rv ?? 0;
  if (rv === undefined || rv === 0 || sendInitial) {
    // Synthetic ADDED events bring the client to the current state first.
    const listed = store.cache.list(prefix, filter ? { filter } : {});
    for (const item of listed.items) write('ADDED', present(info, item.object));
    from = listed.revision;
    if (sendInitial && bookmarks) {
      write('BOOKMARK', bookmarkObject(ctx, from, true));
    }
  }
  if (closed) return;
  let last = from;
  watcher = store.cache.watch(prefix, from, filter ?? (() => true), {
    onEvent(ev) {
      last = ev.revision;
      write(ev.type, present(info, ev.object));
    },
    onError: fail,
  });
  if (bookmarks) {
    const tick = (): void => {
      if (closed) return;
      write('BOOKMARK', bookmarkObject(ctx, Math.max(last, store.cache.revision), false));
      timers.push(setTimeout(tick, bookmarkIntervalMs));
    };
    timers.push(setTimeout(tick, bookmarkIntervalMs));
  }
}

function bookmarkObject(ctx: HandlerContext, revision: number, initialEnd: boolean): Record<string, unknown> {
  const metadata: Record<string, unknown> = { resourceVersion: String(revision) };
  if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
  const apiVersion = ctx.info.group ? `${ctx.info.group}/${ctx.info.version}` : ctx.info.version;
  return { kind: ctx.info.kind, apiVersion, metadata };
}
