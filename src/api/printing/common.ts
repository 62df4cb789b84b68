// Helpers shared by the per-group printers: column definitions, safe reads of
// untyped object fields, and the small formatters Kubernetes' printers use.

import type { TableColumnDefinition } from '../printers.ts';
import type { KubeObject } from '../meta.ts';
import { translateTimestampSince } from '../../machinery/duration.ts';

type ColumnType = TableColumnDefinition['type'];

const nameDescription =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const creationDescription =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export function column(name: string, description: string, type: ColumnType = 'string', priority = 0, format = ''): TableColumnDefinition {
  return { name, type, format, description, priority };
}

export const nameColumn = (priority = 0): TableColumnDefinition => column('Name', nameDescription, 'string', priority, 'name');
export const ageColumn = (): TableColumnDefinition => column('Age', creationDescription);
export const createdAtColumn = (): TableColumnDefinition => column('Created At', creationDescription, 'date');
export const containersColumn = (priority = 1): TableColumnDefinition => column('Containers', 'Names of each container in the template.', 'string', priority);
export const imagesColumn = (priority = 1): TableColumnDefinition => column('Images', 'Images referenced by each container in the template.', 'string', priority);

// --- reading untyped objects ---

export type Obj = Record<string, unknown>;

export function rec(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

export function arr(v: unknown): Obj[] {
  return Array.isArray(v) ? v.map(rec) : [];
}

export function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

export function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}

/** `a.b.c` read from an object, undefined where any step is missing. */
export function path(o: unknown, dotted: string): unknown {
  let cur: unknown = o;
  for (const k of dotted.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Obj)[k];
  }
  return cur;
}

export const spec = (o: KubeObject): Obj => rec(o.spec);
export const status = (o: KubeObject): Obj => rec(o.status);
export const nameOf = (o: KubeObject): string => o.metadata?.name ?? '';
export const age = (o: KubeObject, now: number): string => translateTimestampSince(o.metadata?.creationTimestamp, now);

// --- formatters ---

/** As labels.FormatLabels: `a=b,c=d` sorted by key, `<none>` when empty. */
export function formatLabels(m: unknown): string {
  const entries = Object.entries(rec(m))
    .map(([k, v]) => `${k}=${str(v)}`)
    .sort();
  return entries.length === 0 ? '<none>' : entries.join(',');
}

/** Container names and images of a pod spec, comma-joined. */
export function containerCells(podSpec: unknown): [string, string] {
  const cs = arr(rec(podSpec).containers);
  return [cs.map((c) => str(c.name)).join(','), cs.map((c) => str(c.image)).join(',')];
}

export function printBool(v: unknown): string {
  return v === true ? 'True' : v === false ? 'False' : '<unset>';
}

/** Up to `max` items joined by commas, then ` + N more...`; `<unset>` when empty. */
export function listWithMore(items: string[], max = 3, empty = '<unset>'): string {
  if (items.length === 0) return empty;
  const shown = items.slice(0, max).join(',');
  return items.length > max ? `${shown} + ${items.length - max} more...` : shown;
}
