// events.k8s.io/v1 Event <-> core/v1 Event. Both are served from the same
// stored objects (core/v1); only field names differ.

import type { KubeObject } from '../meta.ts';

// [events.k8s.io/v1 name, core/v1 name]
const renamed: readonly (readonly [string, string])[] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

const shared = ['related', 'reportingInstance', 'series', 'eventTime', 'action', 'reason', 'type'] as const;

function convert(obj: KubeObject, apiVersion: string, pairs: readonly (readonly [string, string])[]): KubeObject {
  const out: KubeObject = { kind: 'Event', apiVersion, metadata: structuredClone(obj.metadata ?? {}) };
  for (const f of shared) if (obj[f] !== undefined) out[f] = structuredClone(obj[f]);
  for (const [from, to] of pairs) if (obj[from] !== undefined && obj[from] !== null) out[to] = structuredClone(obj[from]);
  return out;
}

/** An events.k8s.io/v1 Event as core/v1 stores it. Does not mutate its argument. */
export function eventsV1ToCore(obj: KubeObject): KubeObject {
  return convert(obj, 'v1', renamed);
}

/** A stored core/v1 Event as events.k8s.io/v1 clients see it. Does not mutate its argument. */
export function coreToEventsV1(obj: KubeObject): KubeObject {
  const out = convert(obj, 'events.k8s.io/v1', renamed.map(([a, b]) => [b, a] as const));
  // An empty source (the zero value in Go) is not shown on the new API.
  const src = out['deprecatedSource'];
  if (typeof src === 'object' && src !== null && Object.keys(src).length === 0) delete out['deprecatedSource'];
  return out;
}
