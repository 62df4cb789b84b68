// The table Kubernetes' default convertor builds for kinds without a printer
// (roles, cluster roles, custom resources): NAME and CREATED AT.

import type { KubeObject } from '../meta.ts';
import type { Printer } from '../printers.ts';
import { createdAtColumn, nameColumn, nameOf } from './common.ts';

/** RFC 3339 in UTC without fractional seconds, as Go formats metav1.Time. */
function createdAt(o: KubeObject): string {
  const t = Date.parse(o.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? '' : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const defaultPrinter: Printer = {
  columns: [nameColumn(), createdAtColumn()],
  cells: (o) => [nameOf(o), createdAt(o)],
};
