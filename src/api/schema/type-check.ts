// JSON type checking against the schema, as Kubernetes' decoder does before
// anything else sees an object: `spec.replicas` must be an integer, `metadata`
// an object, and so on. Defaulting and validation can then trust the shapes.

import { lookupType } from './index.ts';
import type { FieldType, Scalar, TypeDef } from './types.ts';

const maxErrors = 20;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return 'number';
  return typeof v;
}

function scalarError(s: Scalar, v: unknown): string | undefined {
  switch (s) {
    case 'string':
    case 'time':
    case 'microTime':
      return typeof v === 'string' ? undefined : 'string';
    case 'bytes':
      return typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v.replace(/\s/g, '')) ? undefined : 'base64 string';
    case 'int32':
    case 'int64':
      return typeof v === 'number' && Number.isInteger(v) ? undefined : s;
    case 'double':
      return typeof v === 'number' ? undefined : 'number';
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'bool';
    case 'quantity':
      return typeof v === 'string' || typeof v === 'number' ? undefined : 'quantity (string or number)';
    case 'intOrString':
      return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)) ? undefined : 'int or string';
    case 'rawExtension':
    case 'object':
      return undefined;
  }
}

/** Messages like `spec.replicas: expected int32, got string`, empty when every value has its type. */
export function typeErrors(typeName: string, obj: unknown): string[] {
  const def = lookupType(typeName);
  const out: string[] = [];
  if (!def) return out;
  if (!isObject(obj)) return [`expected an object, got ${jsonType(obj)}`];
  checkObject(def, obj, [], out);
  return out;
}

// The path to a value is kept as a stack of field names and array indexes and
// spelled out only for an error: most objects have none, and building every
// path string cost more than the checks themselves.
export type Path = (string | number)[];

/** `spec.containers[0].image`; a map key is a field like any other. */
export function formatPath(path: Path): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? seg : `.${seg}`;
  return s;
}

function checkObject(def: TypeDef, obj: Record<string, unknown>, path: Path, out: string[]): void {
  for (const f of def.fields) {
    if (out.length >= maxErrors) return;
    const v = obj[f.name];
    // null is how JSON says "unset" for every optional field.
    if (v === undefined || v === null) continue;
    path.push(f.name);
    checkValue(f.type, v, path, out);
    path.pop();
  }
}

function checkValue(t: FieldType, v: unknown, path: Path, out: string[]): void {
  switch (t.kind) {
    case 'scalar': {
      const want = scalarError(t.scalar, v);
      if (want) out.push(`${formatPath(path)}: expected ${want}, got ${jsonType(v)}`);
      return;
    }
    case 'ref': {
      const def = lookupType(t.ref);
      if (!def) return;
      if (!isObject(v)) {
        out.push(`${formatPath(path)}: expected object, got ${jsonType(v)}`);
        return;
      }
      checkObject(def, v, path, out);
      return;
    }
    case 'array':
      if (!Array.isArray(v)) {
        out.push(`${formatPath(path)}: expected array, got ${jsonType(v)}`);
        return;
      }
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        checkValue(t.items, v[i], path, out);
        path.pop();
      }
      return;
    case 'map':
      if (!isObject(v)) {
        out.push(`${formatPath(path)}: expected object, got ${jsonType(v)}`);
        return;
      }
      for (const k of Object.keys(v)) {
        path.push(k);
        checkValue(t.values, v[k], path, out);
        path.pop();
      }
      return;
  }
}
