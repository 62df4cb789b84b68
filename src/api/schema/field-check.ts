// Strict field validation (`fieldValidation=Strict|Warn`): fields the schema does
// not know, and keys given twice in the request body, worded as Kubernetes'
// strict JSON decoder words them.

import { parseAllDocuments } from 'yaml';
import { lookupType } from './index.ts';
import type { FieldDef, FieldType, TypeDef } from './types.ts';
import { formatPath, type Path } from './type-check.ts';
import { jsonStringEnd } from '../../machinery/json-text.ts';

/** Kubernetes stops collecting strict errors after this many. */
const maxErrors = 100;

const byName = new WeakMap<TypeDef, Map<string, FieldDef>>();

function fieldsOf(def: TypeDef): Map<string, FieldDef> {
  let m = byName.get(def);
  if (!m) {
    m = new Map(def.fields.map((f) => [f.name, f]));
    byName.set(def, m);
  }
  return m;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `unknown field "spec.replicass"` for every field of `obj` the type `typeName` does not declare. */
export function unknownFields(typeName: string, obj: unknown): string[] {
  const def = lookupType(typeName);
  const out: string[] = [];
  if (def && isObject(obj)) walkObject(def, obj, [], out);
  return out;
}

// As in type-check.ts, the path is a stack spelled out only for an error.
function walkObject(def: TypeDef, obj: Record<string, unknown>, path: Path, out: string[]): void {
  // A type with no declared fields is free-form as far as we know.
  if (def.fields.length === 0) return;
  const fields = fieldsOf(def);
  // for-in rather than Object.keys: every object of every request body passes here.
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    if (out.length >= maxErrors) return;
    path.push(key);
    const f = fields.get(key);
    if (f) walkValue(f.type, obj[key], path, out);
    else if (!(path.length === 1 && (key === 'apiVersion' || key === 'kind'))) out.push(`unknown field "${formatPath(path)}"`);
    path.pop();
  }
}

function walkValue(t: FieldType, v: unknown, path: Path, out: string[]): void {
  switch (t.kind) {
    case 'scalar':
      return; // free-form and raw subtrees are never checked
    case 'ref': {
      const def = lookupType(t.ref);
      if (def && isObject(v)) walkObject(def, v, path, out);
      return;
    }
    case 'array':
      if (!Array.isArray(v)) return;
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walkValue(t.items, v[i], path, out);
        path.pop();
      }
      return;
    case 'map':
      if (!isObject(v)) return;
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        path.push(k);
        walkValue(t.values, v[k], path, out);
        path.pop();
      }
      return;
  }
}

type Frame = { kind: 'object'; keys: Set<string>; expectKey: boolean } | { kind: 'array' };

/**
 * `duplicate field "replicas"` for every key repeated within one JSON object.
 * A single pass over the text; malformed input is left to the real parser.
 */
export function duplicateFields(jsonText: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const stack: Frame[] = [];
  const n = jsonText.length;
  let i = 0;
  while (i < n) {
    const c = jsonText.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 0x7b /* { */) {
      stack.push({ kind: 'object', keys: new Set(), expectKey: true });
      i++;
    } else if (c === 0x5b /* [ */) {
      stack.push({ kind: 'array' });
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      i++;
    } else if (c === 0x2c /* , */) {
      if (top?.kind === 'object') top.expectKey = true;
      i++;
    } else if (c === 0x3a /* : */) {
      if (top?.kind === 'object') top.expectKey = false;
      i++;
    } else if (c === 0x22 /* " */) {
      const end = stringEnd(jsonText, i);
      if (top?.kind === 'object' && top.expectKey) {
        const key = decodeKey(jsonText.slice(i, end));
        if (top.keys.has(key)) {
          const msg = `duplicate field "${key}"`;
          if (!seen.has(msg) && out.length < maxErrors) {
            seen.add(msg);
            out.push(msg);
          }
        } else top.keys.add(key);
        top.expectKey = false;
      }
      i = end;
    } else i++;
  }
  return out;
}

/**
 * duplicateFields(jsonText) for a text whose JSON.parse result, not yet
 * changed, is `parsed`. JSON.parse keeps one value per repeated key (and
 * drops what the others held), so the text has more keys than `parsed`
 * exactly when a key repeats: counting both, which allocates nothing,
 * answers for nearly every body; only one with a repeat is scanned for names.
 */
export function duplicateFieldsOf(jsonText: string, parsed: unknown): string[] {
  return keysInText(jsonText) === keysIn(parsed) ? [] : duplicateFields(jsonText);
}

/** Keys in a valid JSON text: the strings followed by a colon. */
function keysInText(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; ) {
    let j = stringEnd(s, i);
    const next = j;
    while (j < s.length && isJsonSpace(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) === 0x3a /* : */) n++;
    // Outside strings a quote only ever opens the next one.
    i = s.indexOf('"', next);
  }
  return n;
}

const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function keysIn(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (const x of v) n += keysIn(x);
    return n;
  }
  for (const k in v) n += 1 + keysIn((v as Record<string, unknown>)[k]);
  return n;
}

/** Index just past the closing quote of the string starting at `start`; the end of an unterminated one is the text's. */
function stringEnd(s: string, start: number): number {
  const end = jsonStringEnd(s, start);
  return end < 0 ? s.length : end;
}

function decodeKey(quoted: string): string {
  if (!quoted.includes('\\')) return quoted.slice(1, -1);
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

/** `line 6: key "replicas" already set in map` for every repeated key of a YAML text. */
export function duplicateYamlFields(yamlText: string): string[] {
  const out: string[] = [];
  let docs;
  try {
    docs = parseAllDocuments(yamlText, { uniqueKeys: true, prettyErrors: true });
  } catch {
    return out;
  }
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    for (const e of doc.errors) {
      if (e.code !== 'DUPLICATE_KEY') continue;
      const key = yamlText.slice(e.pos[0], e.pos[1]).trim().replace(/^["']|["']$/g, '');
      out.push(`line ${e.linePos?.[0].line ?? 0}: key "${key}" already set in map`);
    }
  }
  return out;
}
