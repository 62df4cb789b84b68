// What strategic merge needs from the type schema: for each key of an
// object being merged, the field's type and its patch strategy. Objects
// come in three shapes: a struct (a TypeDef), a map (every key has the same
// value type) and free-form (nothing known: merged like a JSON merge patch).

import { lookupType } from '../../api/schema/index.ts';
import type { FieldType, TypeDef } from '../../api/schema/types.ts';

export type FieldPatchInfo = {
  type: FieldType | undefined;
  /** `patchStrategy` split on ",": e.g. ["merge", "retainKeys"]. */
  strategies: readonly string[];
  mergeKey: string | undefined;
};

export type ObjectShape = { field(key: string): FieldPatchInfo | undefined };

const structShapes = new WeakMap<TypeDef, ObjectShape>();

/** The shape of the named type, or undefined (free-form) if the schema does not know it. */
export function shapeOfType(name: string): ObjectShape | undefined {
  const def = lookupType(name);
  if (!def) return undefined;
  let shape = structShapes.get(def);
  if (!shape) {
    const fields = new Map<string, FieldPatchInfo>();
    for (const f of def.fields) {
      fields.set(f.name, {
        type: f.type,
        strategies: f.patchStrategy ? f.patchStrategy.split(',') : [],
        mergeKey: f.patchMergeKey,
      });
    }
    shape = { field: (key) => fields.get(key) };
    structShapes.set(def, shape);
  }
  return shape;
}

/** The shape of an object-valued field or list element of the given type. */
export function shapeOf(type: FieldType | undefined): ObjectShape | undefined {
  if (!type) return undefined;
  if (type.kind === 'ref') return shapeOfType(type.ref);
  if (type.kind === 'map') {
    const values: FieldPatchInfo = { type: type.values, strategies: [], mergeKey: undefined };
    return { field: () => values };
  }
  return undefined;
}

export function itemType(info: FieldPatchInfo): FieldType | undefined {
  return info.type?.kind === 'array' ? info.type.items : undefined;
}

export const isMergeList = (info: FieldPatchInfo | undefined): info is FieldPatchInfo =>
  info !== undefined && info.strategies.includes('merge');

export const isReplaceStrategy = (info: FieldPatchInfo | undefined): boolean =>
  info !== undefined && info.strategies.includes('replace');
