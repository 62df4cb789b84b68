// Server-side printing: `kubectl get` asks for a meta.k8s.io/v1 Table.

import { groupKindKey, type KubeObject, type ListMeta } from '../api/meta.ts';
import type { ResourceInfo } from '../api/scheme.ts';
import { printerFor, type Printer } from '../api/printers.ts';
import { humanDuration } from '../machinery/duration.ts';

export type AsKind = 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList' | undefined;

/** What the Accept header asks to receive instead of the object itself. */
export function acceptAs(accept: string): AsKind {
  for (const part of accept.split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    const as = params.get('as');
    if (params.get('g') !== 'meta.k8s.io') continue;
    if (as === 'Table' || as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return as;
  }
  return undefined;
}

export const tableContentType = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const fallback: Printer = {
  columns: [
    { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
    { name: 'Age', type: 'string', format: '', description: 'Time since the object was created.', priority: 0 },
  ],
  cells: (obj, now) => [obj.metadata.name ?? '', age(obj, now)],
};

function age(obj: KubeObject, now: number): string {
  const t = obj.metadata.creationTimestamp;
  return t ? humanDuration(now - Date.parse(t)) : '<unknown>';
}

export function partialMetadata(obj: KubeObject): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function toTable(
  info: ResourceInfo,
  objects: readonly KubeObject[],
  listMeta: ListMeta,
  includeObject: string | null,
  now: number,
  withHeaders = true,
): Record<string, unknown> {
  const printer = printerFor(groupKindKey(info.group, info.kind)) ?? fallback;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: withHeaders ? printer.columns : [],
    rows: objects.map((obj) => ({
      cells: safeCells(printer, obj, now),
      object: includeObject === 'None' ? undefined : includeObject === 'Object' ? obj : partialMetadata(obj),
    })),
  };
}

function safeCells(printer: Printer, obj: KubeObject, now: number): unknown[] {
  try {
    return printer.cells(obj, now);
  } catch {
    // A malformed stored object must not break a whole listing.
    return printer.columns.map((c, i) => (i === 0 ? (obj.metadata.name ?? '') : c.type === 'integer' ? 0 : '<error>'));
  }
}
