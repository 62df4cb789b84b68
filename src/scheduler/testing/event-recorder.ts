// A plain Event writer for tests and benchmarks that run the scheduler without the
// server's own recorder: one core/v1 Event per call, written in the background.

import type { KubeObject } from '../../api/meta.ts';
import { resourceFor } from '../../api/scheme.ts';
import type { Client, EventRecorder } from '../../client/interfaces.ts';
import { rfc3339 } from '../../machinery/clock.ts';

const eventsInfo = resourceFor('', 'v1', 'events')!;

export function simpleRecorder(client: Client, component: string, opts: { enabled?: boolean } = {}): EventRecorder {
  let n = 0;
  return {
    event(obj: KubeObject, type, reason, message) {
      if (opts.enabled === false) return;
      const now = rfc3339(Date.now());
      const ns = obj.metadata.namespace ?? 'default';
      const event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${obj.metadata.name}.${Date.now().toString(16)}${(n++).toString(16)}`, namespace: ns },
        involvedObject: { apiVersion: obj.apiVersion ?? 'v1', kind: obj.kind ?? 'Pod', namespace: ns, name: obj.metadata.name, uid: obj.metadata.uid },
        reason,
        message,
        type,
        source: { component },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        reportingComponent: component,
        reportingInstance: component,
      };
      client.create(eventsInfo, ns, event as unknown as KubeObject).catch(() => {
        // Events are best effort.
      });
    },
  };
}
