// Kubernetes' strategic merge patch, driven by the type schema: like a JSON
// merge patch, except that lists whose field says patchStrategy "merge"
// merge element by element (by patchMergeKey) instead of being replaced,
// and that the patch may carry directives:
//   $patch: replace | delete | merge          (in a map or a list element)
//   $retainKeys: [keys]                       (drop every other key of the live map)
//   $setElementOrder/<list>: [elements]       (final order of a merged list)
//   $deleteFromPrimitiveList/<list>: [values] (remove values from a list of scalars)
// Where the schema knows nothing (unknown types, free-form fields) it
// behaves like a JSON merge patch.

import { malformedPatch } from './errors.ts';
import { cloneJson, deleteKey, describe, getKey, hasKey, isJsonObject, jsonEqual, setKey, type JsonObject } from './json-value.ts';
import { mergeList, reorderList } from './strategic-list.ts';
import { isMergeList, isReplaceStrategy, shapeOf, shapeOfType, type FieldPatchInfo, type ObjectShape } from './strategic-schema.ts';

const directiveKey = '$patch';
const retainKeysKey = '$retainKeys';
const setOrderPrefix = '$setElementOrder/';
const deletePrefix = '$deleteFromPrimitiveList/';

export function applyStrategicMergePatch(doc: unknown, patch: unknown, typeName: string): unknown {
  if (!isJsonObject(patch)) throw malformedPatch(`invalid strategic merge patch: expected a JSON object, got ${describe(patch)}`);
  const working: JsonObject = isJsonObject(doc) ? cloneJson(doc) : {};
  return mergeMap(working, patch, shapeOfType(typeName), '') ?? {};
}

const isDirectiveKey = (key: string): boolean =>
  key === directiveKey || key === retainKeysKey || key.startsWith(setOrderPrefix) || key.startsWith(deletePrefix);

/**
 * Merges `patch` into `original` (a working copy, changed in place) and
 * returns it, or undefined when the patch says `$patch: delete`.
 */
function mergeMap(original: JsonObject, patch: JsonObject, shape: ObjectShape | undefined, path: string): JsonObject | undefined {
  if (hasKey(patch, directiveKey)) {
    const directive = patch[directiveKey];
    if (directive === 'delete') return undefined;
    if (directive === 'replace') {
      const rest = { ...patch };
      delete rest[directiveKey];
      return mergeMap({}, rest, shape, path);
    }
    if (directive !== 'merge') throw malformedPatch(`unknown patch type ${describe(directive)} in map at ${path || '<root>'}`);
  }
  if (hasKey(patch, retainKeysKey)) retainKeys(original, patch, path);

  const orders = new Map<string, unknown[]>();
  for (const key of Object.keys(patch)) {
    if (key.startsWith(setOrderPrefix)) {
      orders.set(key.slice(setOrderPrefix.length), directiveList(patch, key, path));
    } else if (key.startsWith(deletePrefix)) {
      deleteFromList(original, key.slice(deletePrefix.length), directiveList(patch, key, path));
    }
  }
  for (const key of Object.keys(patch)) {
    if (isDirectiveKey(key)) continue;
    mergeField(original, key, patch[key], shape?.field(key), orders.get(key), join(path, key));
  }
  // An order for a list the patch does not otherwise touch only reorders it.
  for (const [key, order] of orders) {
    const list = getKey(original, key);
    const info = shape?.field(key);
    if (!hasKey(patch, key) && Array.isArray(list) && isMergeList(info)) {
      setKey(original, key, reorderList(list, order, info, join(path, key)));
    }
  }
  return original;
}

function mergeField(
  original: JsonObject,
  key: string,
  value: unknown,
  info: FieldPatchInfo | undefined,
  order: unknown[] | undefined,
  path: string,
): void {
  if (value === null) return deleteKey(original, key);
  const live = getKey(original, key);
  if (Array.isArray(value)) {
    const merged = isMergeList(info)
      ? mergeList(Array.isArray(live) ? live : [], value, info, order, path, mergeMap)
      : cloneJson(value);
    return setKey(original, key, merged);
  }
  if (isJsonObject(value)) {
    const base = !isReplaceStrategy(info) && isJsonObject(live) ? live : {};
    const merged = mergeMap(base, value, shapeOf(info?.type), path);
    return merged === undefined ? deleteKey(original, key) : setKey(original, key, merged);
  }
  setKey(original, key, value);
}

/** `$retainKeys`: every key the patch sets must be listed; live keys not listed are dropped. */
function retainKeys(original: JsonObject, patch: JsonObject, path: string): void {
  const keep = patch[retainKeysKey];
  const bad = (): never => {
    throw malformedPatch(`invalid patch format of retainKeys at ${path || '<root>'}: ${describe(keep)}`);
  };
  if (!Array.isArray(keep) || !keep.every((k) => typeof k === 'string')) return bad();
  const listed = new Set<string>(keep);
  for (const key of Object.keys(patch)) {
    if (patch[key] !== null && !isDirectiveKey(key) && !listed.has(key)) bad();
  }
  for (const key of Object.keys(original)) if (!listed.has(key)) deleteKey(original, key);
}

function deleteFromList(original: JsonObject, key: string, values: unknown[]): void {
  const live = getKey(original, key);
  if (!Array.isArray(live)) return;
  setKey(original, key, live.filter((v) => !values.some((d) => jsonEqual(v, d))));
}

function directiveList(patch: JsonObject, key: string, path: string): unknown[] {
  const v = patch[key];
  if (!Array.isArray(v)) throw malformedPatch(`invalid patch format: ${key} at ${path || '<root>'} must be a list, got ${describe(v)}`);
  return v;
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
