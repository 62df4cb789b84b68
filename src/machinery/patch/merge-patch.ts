// RFC 7386 JSON merge patch: objects merge key by key, null deletes a key,
// anything else (arrays included) replaces what was there.

import { cloneJson, hasKey, isJsonObject, setKey, type JsonObject } from './json-value.ts';

// The result is a new document sharing nothing with either input. Each value
// is copied once: keys the patch leaves alone are cloned, the others are
// built by the recursion (cloning the whole document first and then each
// patched subtree again cost a pod status patch several copies of the pod).
// Keys keep the document's order; keys the patch adds follow in its order.
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const out: JsonObject = {};
  const base = isJsonObject(doc) ? doc : {};
  for (const key of Object.keys(base)) {
    if (!hasKey(patch, key)) setKey(out, key, cloneJson(base[key]));
    else if (patch[key] !== null) setKey(out, key, applyMergePatch(base[key], patch[key]));
  }
  for (const key of Object.keys(patch)) {
    if (!hasKey(base, key) && patch[key] !== null) setKey(out, key, applyMergePatch(undefined, patch[key]));
  }
  return out;
}
