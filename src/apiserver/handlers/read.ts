// GET of one object and LIST, as JSON, YAML, or a Table for `kubectl get`.

import { apiVersionOf, type KubeObject, type ListMeta } from '../../api/meta.ts';
import { badRequest, expired } from '../../machinery/status.ts';
import { isStorageError } from '../../storage/interface.ts';
import { parseStored } from '../registry/store.ts';
import { buildFilter, type ObjectFilter } from '../selectors.ts';
import { acceptAs, partialMetadata, tableContentType, toTable } from '../table.ts';
import { send } from '../codec.ts';
import { objectBytes } from '../serialize.ts';
import { present, type HandlerContext } from './context.ts';

export async function handleGet(ctx: HandlerContext): Promise<void> {
  const { request, store } = ctx;
  const obj = present(ctx.info, await store.get(request.namespace, request.name!));
  const as = acceptAs(ctx.accept);
  if (as === 'Table') {
    const table = toTable(ctx.info, [obj], { resourceVersion: obj.metadata.resourceVersion ?? '' }, ctx.query.get('includeObject'), ctx.registry.clock.now());
    send(ctx.res, 200, table, 'json', tableContentType);
    return;
  }
  if (as === 'PartialObjectMetadata') {
    send(ctx.res, 200, partialMetadata(obj), 'json', 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io');
    return;
  }
  send(ctx.res, 200, obj, ctx.format);
}

function parseLimit(query: URLSearchParams): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid limit: ${JSON.stringify(raw)}: must be a non-negative integer`);
  return n;
}

export function parseResourceVersion(raw: string | null): number | undefined {
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid resource version: ${JSON.stringify(raw)}`);
  return n;
}

export type ListedPage = { items: KubeObject[]; meta: ListMeta };

/** Lists from the watch cache, or pages through the store when the client pages. */
export async function listObjects(ctx: HandlerContext, filter: ObjectFilter | undefined): Promise<ListedPage> {
  const { query, store, request } = ctx;
  const prefix = store.prefix(request.namespace);
  const limit = parseLimit(query);
  const continueToken = query.get('continue') || undefined;
  const rvRaw = query.get('resourceVersion');
  const rv = parseResourceVersion(rvRaw);
  const match = query.get('resourceVersionMatch');
  if (match && match !== 'Exact' && match !== 'NotOlderThan') {
    throw badRequest(`invalid resourceVersionMatch: ${JSON.stringify(match)}: supported values: "Exact", "NotOlderThan"`);
  }
  if (match && rv === undefined) throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (continueToken && rv !== undefined && rv !== 0) throw badRequest('specifying resource version is not allowed when using continue');

  const fromStore = continueToken !== undefined || (limit > 0 && rvRaw !== '0') || match === 'Exact';
  if (!fromStore) {
    if (rv === undefined) await store.cache.waitForRevision(await store.storage.currentRevision(), 3000);
    else if (rv > 0) await store.cache.waitForRevision(rv, 3000);
    const listed = store.cache.list(prefix, filter ? { filter } : {});
    return { items: listed.items.map((i) => i.object), meta: { resourceVersion: String(listed.revision) } };
  }
  const items: KubeObject[] = [];
  let token = continueToken;
  let revision = match === 'Exact' ? rv : undefined;
  let remaining: number | undefined;
  for (let pages = 0; ; pages++) {
    const need = limit > 0 ? limit - items.length : 0;
    let page;
    try {
      page = await store.storage.list(prefix, {
        ...(need > 0 ? { limit: need } : {}),
        ...(token ? { continue: token } : {}),
        ...(revision !== undefined && !token ? { revision } : {}),
      });
    } catch (e) {
      if (isStorageError(e, 'TooOld')) {
        throw expired(`The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.`);
      }
      throw store.translate(e, '');
    }
    revision = page.revision;
    for (const kv of page.items) {
      const obj = parseStored(kv);
      if (!filter || filter(obj)) items.push(obj);
    }
    token = page.continue;
    remaining = page.remainingItemCount;
    if (!token || (limit > 0 && items.length >= limit)) break;
  }
  const meta: ListMeta = { resourceVersion: String(revision) };
  if (token) meta.continue = token;
  if (token && remaining !== undefined && !filter) meta.remainingItemCount = remaining;
  return { items, meta };
}

export async function handleList(ctx: HandlerContext): Promise<void> {
  const filter = buildFilter(ctx.info, ctx.query);
  const page = await listObjects(ctx, filter);
  const items = page.items.map((o) => present(ctx.info, o));
  const as = acceptAs(ctx.accept);
  if (as === 'Table') {
    send(ctx.res, 200, toTable(ctx.info, items, page.meta, ctx.query.get('includeObject'), ctx.registry.clock.now()), 'json', tableContentType);
    return;
  }
  if (as === 'PartialObjectMetadataList' || as === 'PartialObjectMetadata') {
    const list = { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: page.meta, items: items.map(partialMetadata) };
    send(ctx.res, 200, list, 'json', 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io');
    return;
  }
  const list = { kind: ctx.info.listKind, apiVersion: apiVersionOf(ctx.info.group, ctx.info.version), metadata: page.meta, items };
  if (ctx.format === 'json') {
    sendList(ctx, list);
    return;
  }
  send(ctx.res, 200, list, ctx.format);
}

/** A list written from each item's cached bytes, with no copy of the whole. */
function sendList(ctx: HandlerContext, list: { kind: string; apiVersion: string; metadata: ListMeta; items: KubeObject[] }): void {
  const { res } = ctx;
  const head = Buffer.from(`{"kind":${JSON.stringify(list.kind)},"apiVersion":${JSON.stringify(list.apiVersion)},"metadata":${JSON.stringify(list.metadata)},"items":[`);
  const parts = list.items.map((o) => objectBytes(o));
  let length = head.length + 2 + Math.max(0, parts.length - 1);
  for (const p of parts) length += p.length;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': length, 'Cache-Control': 'no-cache, private' });
  res.cork();
  res.write(head);
  for (let i = 0; i < parts.length; i++) {
    if (i) res.write(comma);
    res.write(parts[i]);
  }
  res.end(tail);
  res.uncork();
}

const comma = Buffer.from(',');
const tail = Buffer.from(']}');
