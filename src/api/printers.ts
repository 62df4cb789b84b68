// Server-side printing: the Table columns `kubectl get` shows per kind.

import type { KubeObject } from './meta.ts';

export type TableColumnDefinition = {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
};

export type Printer = {
  columns: readonly TableColumnDefinition[];
  /** One cell per column; `now` in ms since the epoch (for AGE). */
  cells(obj: KubeObject, now: number): unknown[];
};

const printers = new Map<string, Printer>();

export function registerPrinter(groupKind: string, p: Printer): void {
  printers.set(groupKind, p);
}

export function printerFor(groupKind: string): Printer | undefined {
  return printers.get(groupKind);
}
