// Event tables: core/v1 events and events.k8s.io/v1 events (converted to the core shape).

import type { KubeObject } from '../meta.ts';
import type { Printer } from '../printers.ts';
import { translateTimestampSince } from '../../machinery/duration.ts';
import { column, int, nameColumn, nameOf, rec, str } from './common.ts';

export const eventColumns = [
  column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column('Reason', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
  column('Object', 'The object that this event is about.'),
  column('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].', 'string', 1),
  column('Source', 'The component reporting this event. Should be a short machine understandable string.', 'string', 1),
  column('Message', 'A human-readable description of the status of this operation.'),
  column('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 'string', 1),
  column('Count', 'The number of times this event has occurred.', 'string', 1),
  nameColumn(1),
];

function since(ts: unknown, now: number): string {
  return translateTimestampSince(str(ts) || undefined, now);
}

function eventCells(ev: KubeObject, now: number): unknown[] {
  const involved = rec(ev.involvedObject);
  const source = rec(ev.source);
  const series = ev.series === undefined || ev.series === null ? undefined : rec(ev.series);
  const first = str(ev.firstTimestamp) ? since(ev.firstTimestamp, now) : since(ev.eventTime, now);
  let last = str(ev.lastTimestamp) ? since(ev.lastTimestamp, now) : first;
  let count = int(ev.count);
  if (series) {
    last = since(series.lastObservedTime, now);
    count = int(series.count);
  } else if (count === 0) {
    count = 1; // singleton events from the new API carry no count
  }
  const kind = str(involved.kind).toLowerCase();
  const target = str(involved.name) ? `${kind}/${str(involved.name)}` : kind;
  const component = str(source.component) || str(ev.reportingComponent);
  const instance = str(source.host) || str(ev.reportingInstance);
  return [
    last,
    str(ev.type),
    str(ev.reason),
    target,
    str(involved.fieldPath),
    instance ? `${component}, ${instance}` : component,
    str(ev.message).trim(),
    first,
    count,
    nameOf(ev),
  ];
}

/** An events.k8s.io/v1 Event in the core/v1 shape the table is computed from. */
export function eventsV1ToCore(ev: KubeObject): KubeObject {
  const src = rec(ev.deprecatedSource);
  return {
    metadata: ev.metadata,
    involvedObject: ev.regarding,
    reason: ev.reason,
    message: ev.note,
    type: ev.type,
    source: src,
    firstTimestamp: ev.deprecatedFirstTimestamp,
    lastTimestamp: ev.deprecatedLastTimestamp,
    count: ev.deprecatedCount,
    eventTime: ev.eventTime,
    series: ev.series,
    reportingComponent: ev.reportingController,
    reportingInstance: ev.reportingInstance,
  };
}

export const eventPrinter: Printer = { columns: eventColumns, cells: eventCells };
export const eventsV1Printer: Printer = { columns: eventColumns, cells: (ev, now) => eventCells(eventsV1ToCore(ev), now) };
