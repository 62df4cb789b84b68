// Test helpers for workload controllers: a Lister over a fixed snapshot (a
// cache the test controls, possibly stale on purpose), an EventRecorder that
// keeps what it is told, and object builders.

import type { KubeObject } from '../../../api/meta.ts';
import type { Client, EventRecorder, Lister } from '../../../client/interfaces.ts';
import type { ResourceInfo } from '../../../api/scheme.ts';
import { parseSelector } from '../../../machinery/labels.ts';

export function staticLister<T extends KubeObject>(objs: readonly T[]): Lister<T> {
  return {
    get: (ns, name) => objs.find((o) => o.metadata.name === name && (ns === undefined || o.metadata.namespace === ns)),
    list: (ns, sel) => {
      const s = sel ? parseSelector(sel) : undefined;
      return objs.filter((o) => (ns === undefined || o.metadata.namespace === ns) && (!s || s.matches(o.metadata.labels)));
    },
    byIndex: () => [],
  };
}

/** A lister that re-lists from the API server on `refresh()`: a cache the test syncs by hand. */
export function refreshableLister<T extends KubeObject>(client: Client, r: ResourceInfo, namespace?: string) {
  let objs: T[] = [];
  const lister = {
    get: (ns: string | undefined, name: string) => staticLister(objs).get(ns, name),
    list: (ns?: string, sel?: string) => staticLister(objs).list(ns, sel),
    byIndex: (): T[] => [],
    async refresh(): Promise<void> {
      objs = (await client.list<T>(r, namespace)).items;
    },
  };
  return lister;
}

export type RecordedEvent = { kind: string | undefined; name: string | undefined; type: string; reason: string; message: string };

export function memoryRecorder(): EventRecorder & { events: RecordedEvent[] } {
  const events: RecordedEvent[] = [];
  return {
    events,
    event(obj, type, reason, message) {
      events.push({ kind: obj.kind, name: obj.metadata.name, type, reason, message });
    },
  };
}

export const testTemplate = (labels: Record<string, string>, image = 'busybox:1') => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', image }] },
});
