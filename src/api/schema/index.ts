// The registry of API types: every TypeDef of every group, by full name.
// Filled by the per-group files beside this one.

import type { TypeDef } from './types.ts';

const types = new Map<string, TypeDef>();

export function registerTypes(defs: readonly TypeDef[]): void {
  for (const d of defs) types.set(d.name, d);
}

export function lookupType(name: string): TypeDef | undefined {
  return types.get(name);
}

export function allTypes(): IterableIterator<TypeDef> {
  return types.values();
}
