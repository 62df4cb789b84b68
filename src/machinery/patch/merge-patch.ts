// RFC 7386 JSON merge patch: objects merge key by key, null deletes a key,
// anything else (arrays included) replaces what was there.

import { cloneJson, deleteKey, getKey, isJsonObject, setKey, type JsonObject } from './json-value.ts';

export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const out: JsonObject = isJsonObject(doc) ? cloneJson(doc) : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) deleteKey(out, key);
    else setKey(out, key, applyMergePatch(getKey(out, key), value));
  }
  return out;
}
