// How server-side apply sees a value, derived from the type schema: a leaf
// (scalars, atomic structs, maps and lists, free-form JSON), a struct or
// granular map merged field by field, a list-map merged by its keys, or a set
// of scalars. Types missing from the schema are "deduced" from the value:
// objects merge by field, everything else is a leaf.

import { lookupType } from '../../api/schema/index.ts';
import type { FieldDef, FieldType, TypeDef } from '../../api/schema/types.ts';

export type Shape =
  | { kind: 'leaf' }
  | { kind: 'struct'; def: TypeDef }
  | { kind: 'map'; values: Shape }
  | { kind: 'listMap'; keys: readonly string[]; items: Shape }
  | { kind: 'set' }
  | { kind: 'deduced' };

export const leaf: Shape = { kind: 'leaf' };
export const deduced: Shape = { kind: 'deduced' };

// Shapes are immutable and asked for at every node of every write: each is
// built once per type or field and shared.
const structShapes = new WeakMap<TypeDef, Shape>();

export function shapeOfType(typeName: string): Shape {
  const def = lookupType(typeName);
  if (!def) return deduced;
  if (def.atomic) return leaf;
  let shape = structShapes.get(def);
  if (!shape) {
    shape = { kind: 'struct', def };
    structShapes.set(def, shape);
  }
  return shape;
}

/** A field's path element and shape. */
export type Field = { element: string; shape: Shape };
type FieldEntry = { def: FieldDef; field?: Field };
const fieldIndex = new WeakMap<TypeDef, Map<string, FieldEntry>>();

function fieldsOf(def: TypeDef): Map<string, FieldEntry> {
  let index = fieldIndex.get(def);
  if (!index) {
    index = new Map(def.fields.map((f) => [f.name, { def: f }]));
    fieldIndex.set(def, index);
  }
  return index;
}

/**
 * A declared field, built once: kept when every type it refers to is
 * registered (until then its shape may be `deduced`). A key string used again
 * and again is also cheaper to store an object under than a new one.
 */
function declaredField(entry: FieldEntry): Field {
  if (entry.field) return entry.field;
  const field = { element: `f:${entry.def.name}`, shape: typeShape(entry.def.type, entry.def) };
  if (registered(entry.def.type)) entry.field = field;
  return field;
}

function registered(t: FieldType): boolean {
  switch (t.kind) {
    case 'scalar':
      return true;
    case 'ref':
      return lookupType(t.ref) !== undefined;
    case 'map':
      return registered(t.values);
    case 'array':
      return registered(t.items);
  }
}

function typeShape(t: FieldType, fd?: FieldDef): Shape {
  switch (t.kind) {
    case 'scalar':
      return leaf;
    case 'ref':
      return fd?.mapType === 'atomic' ? leaf : shapeOfType(t.ref);
    case 'map':
      return fd?.mapType === 'atomic' ? leaf : { kind: 'map', values: typeShape(t.values) };
    case 'array': {
      const listType = fd?.listType ?? (fd?.patchMergeKey ? 'map' : 'atomic');
      if (listType === 'set') return { kind: 'set' };
      if (listType === 'map') {
        const keys = fd?.listMapKeys ?? (fd?.patchMergeKey ? [fd.patchMergeKey] : []);
        if (keys.length > 0) return { kind: 'listMap', keys, items: typeShape(t.items) };
      }
      return leaf;
    }
  }
}

/** The element and shape of a field (or map entry) of a struct, map or deduced value. */
export function fieldOf(parent: Shape, name: string): Field {
  const entry = parent.kind === 'struct' ? fieldsOf(parent.def).get(name) : undefined;
  return entry ? declaredField(entry) : { element: `f:${name}`, shape: childShape(parent, name) };
}

/** The shape of a field (or map entry) of a struct, map or deduced value. */
export function childShape(parent: Shape, name: string): Shape {
  switch (parent.kind) {
    case 'struct': {
      const entry = fieldsOf(parent.def).get(name);
      return entry ? declaredField(entry).shape : deduced;
    }
    case 'map':
      return parent.values;
    default:
      return deduced;
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const isPresent = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * The shape to use for these values: deduced shapes resolve by value, and a
 * value that does not fit its schema shape is handled as a leaf.
 */
export function effectiveShape(shape: Shape, ...values: unknown[]): Shape {
  const present = values.filter(isPresent);
  switch (shape.kind) {
    case 'deduced':
      return present.length > 0 && present.every(isObject) ? { kind: 'map', values: deduced } : leaf;
    case 'struct':
    case 'map':
      return present.every(isObject) ? shape : leaf;
    case 'listMap':
    case 'set':
      return present.every(Array.isArray) ? shape : leaf;
    case 'leaf':
      return shape;
  }
}
