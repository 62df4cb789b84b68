// The JSON an object is stored as (all of it but metadata.resourceVersion),
// and the same text with the resourceVersion put back as the last key of
// metadata, which is exactly what clients are sent: one serialization per
// write serves the store, the write's response and every watcher.

import type { KubeObject } from '../../api/meta.ts';

/** The stored text and the offset of the `}` that closes its metadata (-1 if it has none). */
export type StoredJson = { text: string; metadataEnd: number };

/**
 * `JSON.stringify(obj)` without metadata.resourceVersion, built key by key (in
 * the order JSON.stringify uses, with the same skipped values) to learn where
 * metadata ends. A resourceVersion is moved to the end of metadata, where the
 * server sets it after the write.
 */
export function encodeStored(obj: KubeObject): StoredJson {
  const meta = obj.metadata as KubeObject['metadata'] | undefined;
  const rv = meta?.resourceVersion;
  if (rv !== undefined) delete meta!.resourceVersion;
  try {
    let text = '{';
    let metadataEnd = -1;
    for (const key of Object.keys(obj)) {
      const value = JSON.stringify((obj as Record<string, unknown>)[key]);
      if (value === undefined) continue;
      if (text.length > 1) text += ',';
      text += `${JSON.stringify(key)}:${value}`;
      if (key === 'metadata' && value.startsWith('{')) metadataEnd = text.length - 1;
    }
    return { text: `${text}}`, metadataEnd };
  } finally {
    if (rv !== undefined) meta!.resourceVersion = rv;
  }
}

/** The stored text with `"resourceVersion":rv` as the last key of metadata; undefined without metadata. */
export function withResourceVersion(s: StoredJson, rv: string): string | undefined {
  if (s.metadataEnd < 0) return undefined;
  // Nothing but `{` can come right before the closing brace of an empty object, and never of another.
  const sep = s.text[s.metadataEnd - 1] === '{' ? '' : ',';
  return `${s.text.slice(0, s.metadataEnd)}${sep}"resourceVersion":${JSON.stringify(rv)}${s.text.slice(s.metadataEnd)}`;
}

// Writes in flight from this process, by storage key: the watch cache decoding
// the text a write stored takes the writer's object (which that text is the
// JSON of) instead of parsing it back, and its JSON instead of serializing the
// object again for its watchers.
export type InFlightWrite = { stored: StoredJson; object: KubeObject };
const inFlight = new Map<string, InFlightWrite>();

/** `object` is what `s` encodes; once handed to the watch cache it is shared and must not change. */
export function writeStarting(key: string, s: StoredJson, object: KubeObject): void {
  inFlight.set(key, { stored: s, object });
}

/** Forgets a write once it is done (or failed), unless a later write to the key replaced it. */
export function writeDone(key: string, s: StoredJson | undefined): void {
  if (s !== undefined && inFlight.get(key)?.stored === s) inFlight.delete(key);
}

/** The in-flight write that stored exactly `value` under `key`, taken (once). */
export function takeWrite(key: string, value: string): InFlightWrite | undefined {
  const w = inFlight.get(key);
  if (w === undefined || w.stored.text !== value) return undefined;
  inFlight.delete(key);
  return w;
}
