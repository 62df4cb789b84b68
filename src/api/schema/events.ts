// events.k8s.io/v1: Event. Proto tags follow k8s.io/api/events/v1/generated.proto (v1.32).

import { core, field, gvk, int32, meta, microTime, ref, string, time, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { TypeDef } from './types.ts';

const events = (name: string): string => `io.k8s.api.events.v1.${name}`;

export const eventsTypes: readonly TypeDef[] = [
  type(events('Event'), 'A report of something that happened in the cluster.', [
    field('apiVersion', 0, string, 'Versioned schema of this representation of the object.'),
    field('kind', 0, string, 'REST resource this object represents.'),
    field('metadata', 1, ref(meta('ObjectMeta')), 'Standard metadata of the event.'),
    field('eventTime', 2, microTime, 'When the event was first observed.', { required: true }),
    field('series', 3, ref(events('EventSeries')), 'Data about the series this event belongs to; unset for a one-off.'),
    field('reportingController', 4, string, 'Controller that emitted the event, e.g. kubernetes.io/kubelet.'),
    field('reportingInstance', 5, string, 'Instance of the controller that emitted the event.'),
    field('action', 6, string, 'Machine-readable action taken or failed on the regarding object.'),
    field('reason', 7, string, 'Why the action was taken.'),
    field('regarding', 8, ref(core('ObjectReference')), 'Object the event is about.'),
    field('related', 9, ref(core('ObjectReference')), 'Secondary object involved in the action.'),
    field('note', 10, string, 'Human-readable description of what happened.'),
    field('type', 11, string, 'Normal or Warning.'),
    field('deprecatedSource', 12, ref(core('EventSource')), 'Source as in core/v1 events, kept for compatibility.'),
    field('deprecatedFirstTimestamp', 13, time, 'First occurrence as in core/v1 events, kept for compatibility.'),
    field('deprecatedLastTimestamp', 14, time, 'Last occurrence as in core/v1 events, kept for compatibility.'),
    field('deprecatedCount', 15, int32, 'Occurrence count as in core/v1 events, kept for compatibility.'),
  ], { gvk: gvk('events.k8s.io', 'v1', 'Event') }),
  type(events('EventSeries'), 'A repeated occurrence of one event.', [
    field('count', 1, int32, 'Occurrences seen up to the last heartbeat.', { required: true }),
    field('lastObservedTime', 2, microTime, 'When the last occurrence was seen before the heartbeat.', { required: true }),
  ]),
];

registerTypes(eventsTypes);
