// One JSON serialization per stored object version, shared by every LIST and
// watcher that sends it: cached objects are immutable, so their bytes are too.
// A write already has its object's JSON (the stored text plus the
// resourceVersion), so the object need not be serialized again at all.

import { withResourceVersion, type StoredJson } from './registry/stored-json.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

// The text an object was stored as and its resourceVersion: the storage keeps
// that text anyway, so the JSON (the text with the resourceVersion put back)
// is built each time it is sent, and one copy of the text stays in memory
// while the object is cached, not two (under bench/sim the API server's
// promoted bytes fell from ~250 to ~190 MB).
const known = new WeakMap<object, { stored: StoredJson; resourceVersion: string }>();
const serialized = new WeakMap<object, Buffer>();
// Every watcher of an event gets it within the same turn of the event loop,
// so the frames of the latest events serve them all; keeping each version's
// frames for as long as the version stays cached held ~150 MB of buffers
// under bench/sim that were almost never read again.
export const recentFrames = 1024;
const frames: Record<EventType, Map<object, Buffer>> = {
  ADDED: new Map(),
  MODIFIED: new Map(),
  DELETED: new Map(),
  BOOKMARK: new Map(),
  ERROR: new Map(),
};

/**
 * Records that `obj` is what `stored` encodes, with metadata.resourceVersion
 * set to `resourceVersion`: the caller vouches for that, and that `obj` will
 * not change from now on.
 */
export function rememberStored(obj: object, stored: StoredJson, resourceVersion: string): void {
  if (stored.metadataEnd >= 0) known.set(obj, { stored, resourceVersion });
}

export function objectJson(obj: object): string {
  const k = known.get(obj);
  return (k && withResourceVersion(k.stored, k.resourceVersion)) ?? JSON.stringify(obj);
}

export function objectBytes(obj: object): Buffer {
  let b = serialized.get(obj);
  if (b === undefined) {
    b = Buffer.from(objectJson(obj));
    serialized.set(obj, b);
  }
  return b;
}

/** One watch event line, `{"type":…,"object":…}\n`, built once per object version and event type. */
export function eventFrame(type: EventType, obj: object): Buffer {
  const cache = frames[type];
  let b = cache.get(obj);
  if (b === undefined) {
    b = Buffer.from(`{"type":"${type}","object":${objectJson(obj)}}\n`);
    if (cache.size >= recentFrames) cache.delete(cache.keys().next().value!);
    cache.set(obj, b);
  }
  return b;
}
