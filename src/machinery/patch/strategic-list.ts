// Strategic merge of one list whose field has patchStrategy "merge":
// lists of objects merge element by element on the merge key, lists of
// scalars are unioned. Ordering follows Kubernetes: elements named in the
// patch (or in $setElementOrder) keep the patch's order, the others keep
// the live order, and the two are interleaved where the live order knows both.

import { malformedPatch, patchNotApplicable } from './errors.ts';
import { describe, getKey, hasKey, isJsonObject, jsonEqual, type JsonObject } from './json-value.ts';
import { itemType, shapeOf, type FieldPatchInfo, type ObjectShape } from './strategic-schema.ts';

export type MergeElement = (
  original: JsonObject,
  patch: JsonObject,
  shape: ObjectShape | undefined,
  path: string,
) => JsonObject | undefined;

/** `original` is owned by the caller's working copy; `patch` is read only. */
export function mergeList(
  original: unknown[],
  patch: unknown[],
  info: FieldPatchInfo,
  order: unknown[] | undefined,
  path: string,
  mergeElement: MergeElement,
): unknown[] {
  if (original.length === 0 && patch.length === 0 && !order) return original;
  if (elementKind(original, patch, path) === 'scalar') {
    if (order) checkOrder(patch, order, (v) => v, path);
    return arrange(dedupe([...original, ...patch]), order ?? patch, original, (v) => v);
  }
  const key = info.mergeKey;
  if (!key) throw malformedPatch(`cannot merge lists without merge key for ${path}`);
  const idOf = (v: unknown): unknown => (isJsonObject(v) ? getKey(v, key) : undefined);
  const shape = shapeOf(itemType(info));

  let server = original as JsonObject[];
  let rest: JsonObject[] = [];
  let replace = false;
  for (const el of patch as JsonObject[]) {
    const directive = getKey(el, '$patch');
    if (directive === undefined) rest.push(el);
    else if (directive === 'delete') {
      const id = requireMergeKey(el, key, path);
      server = server.filter((o) => !jsonEqual(idOf(o), id));
    } else if (directive === 'replace') replace = true;
    else if (directive === 'merge') throw malformedPatch(`merging lists cannot yet be specified in the patch (at ${path})`);
    else throw malformedPatch(`unknown patch type ${describe(directive)} in list element at ${path}`);
  }
  if (replace) {
    server = rest.map((el) => mergeElement({}, el, shape, path) ?? {});
    rest = [];
  }

  const merged = server.slice();
  for (const el of rest) {
    const id = requireMergeKey(el, key, path);
    const i = merged.findIndex((o) => jsonEqual(idOf(o), id));
    if (i >= 0) merged[i] = mergeElement(merged[i] ?? {}, el, shape, path) ?? {};
    else merged.push(mergeElement({}, el, shape, path) ?? {});
  }
  if (order) {
    for (const o of order) requireMergeKey(o, key, `$setElementOrder of ${path}`);
    checkOrder(rest, order, idOf, path);
  }
  return arrange(merged, order ?? rest, server, idOf);
}

/** A list reordered by `$setElementOrder` alone (the patch does not touch its elements). */
export function reorderList(list: unknown[], order: unknown[], info: FieldPatchInfo, path: string): unknown[] {
  if (elementKind(list, order, path) === 'scalar') return arrange(list, order, list, (v) => v);
  const key = info.mergeKey;
  if (!key) throw malformedPatch(`cannot merge lists without merge key for ${path}`);
  for (const o of order) requireMergeKey(o, key, `$setElementOrder of ${path}`);
  return arrange(list, order, list, (v) => (isJsonObject(v) ? getKey(v, key) : undefined));
}

function elementKind(original: unknown[], patch: unknown[], path: string): 'map' | 'scalar' {
  let maps = 0;
  let scalars = 0;
  for (const v of [...original, ...patch]) {
    if (Array.isArray(v)) throw patchNotApplicable(`lists of lists are not supported (at ${path})`);
    if (isJsonObject(v)) maps++;
    else scalars++;
  }
  if (maps > 0 && scalars > 0) throw malformedPatch(`list at ${path} mixes objects and scalars`);
  return maps > 0 ? 'map' : 'scalar';
}

function requireMergeKey(el: unknown, key: string, path: string): unknown {
  if (!isJsonObject(el) || !hasKey(el, key) || el[key] === null) {
    throw malformedPatch(`map: ${describe(el)} does not contain declared merge key: ${key} (at ${path})`);
  }
  return el[key];
}

/** One string per distinct merge-key value (strings, the usual kind, without JSON.stringify). */
const idKey = (id: unknown): string => (typeof id === 'string' ? `s${id}` : `j${JSON.stringify(id) ?? 'undefined'}`);

function dedupe(list: unknown[]): unknown[] {
  const seen = new Set<string>();
  return list.filter((v) => {
    const k = idKey(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function positions(list: readonly unknown[], idOf: (v: unknown) => unknown): Map<string, number> {
  const at = new Map<string, number>();
  list.forEach((v, i) => {
    const k = idKey(idOf(v));
    if (!at.has(k)) at.set(k, i);
  });
  return at;
}

/** Every patch element must be named in $setElementOrder, in the same relative order. */
function checkOrder(patch: readonly unknown[], order: readonly unknown[], idOf: (v: unknown) => unknown, path: string): void {
  const at = positions(order, idOf);
  let last = -1;
  for (const el of patch) {
    const i = at.get(idKey(idOf(el)));
    if (i === undefined || i < last) {
      throw malformedPatch(`invalid patch format of setElementOrder list: ${describe(order)} does not match the patch list of ${path}`);
    }
    last = i;
  }
}

/**
 * Elements named in `patchOrder` come in that order; the others keep their
 * place in `serverOrder`. Merging the two runs, a server-only element goes
 * first only when the server order knows both it and the next patch element
 * and puts it before; otherwise the patch element goes first.
 */
function arrange(merged: unknown[], patchOrder: readonly unknown[], serverOrder: readonly unknown[], idOf: (v: unknown) => unknown): unknown[] {
  const inPatch = positions(patchOrder, idOf);
  const inServer = positions(serverOrder, idOf);
  const none = Number.MAX_SAFE_INTEGER;
  const fromPatch: { v: unknown; rank: number; server: number | undefined }[] = [];
  const fromServer: typeof fromPatch = [];
  for (const v of merged) {
    const k = idKey(idOf(v));
    const p = inPatch.get(k);
    const server = inServer.get(k);
    if (p !== undefined) fromPatch.push({ v, rank: p, server });
    else fromServer.push({ v, rank: server ?? none, server });
  }
  fromPatch.sort((a, b) => a.rank - b.rank);
  fromServer.sort((a, b) => a.rank - b.rank);
  return mergeRuns(fromServer, fromPatch);
}

function mergeRuns(serverOnly: { v: unknown; server: number | undefined }[], fromPatch: { v: unknown; server: number | undefined }[]): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < fromPatch.length) {
    const left = serverOnly[i];
    const right = fromPatch[j];
    if (j >= fromPatch.length) {
      out.push(left!.v);
      i++;
    } else if (i >= serverOnly.length) {
      out.push(right!.v);
      j++;
    } else {
      const li = left!.server;
      const ri = right!.server;
      if (li !== undefined && ri !== undefined && li < ri) {
        out.push(left!.v);
        i++;
      } else {
        out.push(right!.v);
        j++;
      }
    }
  }
  return out;
}
