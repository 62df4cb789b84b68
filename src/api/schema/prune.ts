// Drops fields the schema does not know, as Kubernetes' decoder does when
// field validation is Warn or Ignore: unknown fields are never stored.

import { lookupType } from './index.ts';
import type { FieldType, TypeDef } from './types.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function pruneUnknownFields(typeName: string, obj: unknown): void {
  const def = lookupType(typeName);
  if (def && isObject(obj)) pruneObject(def, obj, true);
}

function pruneObject(def: TypeDef, obj: Record<string, unknown>, top: boolean): void {
  if (def.fields.length === 0) return;
  for (const key of Object.keys(obj)) {
    const f = def.fields.find((x) => x.name === key);
    if (!f) {
      if (!(top && (key === 'apiVersion' || key === 'kind'))) delete obj[key];
      continue;
    }
    pruneValue(f.type, obj[key]);
  }
}

function pruneValue(t: FieldType, v: unknown): void {
  if (t.kind === 'ref') {
    const def = lookupType(t.ref);
    if (def && isObject(v)) pruneObject(def, v, false);
  } else if (t.kind === 'array' && Array.isArray(v)) {
    for (const item of v) pruneValue(t.items, item);
  } else if (t.kind === 'map' && isObject(v)) {
    for (const item of Object.values(v)) pruneValue(t.values, item);
  }
}
