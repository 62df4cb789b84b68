// Questions answered on a stored `fieldsV1` without decoding it into a
// FieldSet. Most writes leave most managers' sets alone; reading their
// encoding in place lets such a manager be written back as it was stored,
// never decoded nor encoded again.
//
// Only the canonical form is read this way: the one toFieldsV1 gives, so
// that writing it back unchanged is byte for byte what re-encoding gives.

import { compareElements, isElement, isEmpty, type FieldSet } from './field-set.ts';

export type FieldsV1 = Record<string, unknown>;

const isPlainObject = (v: unknown): v is FieldsV1 => typeof v === 'object' && v !== null && !Array.isArray(v);

function isEmptyObject(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  for (const _ in v) return false;
  return true;
}

/**
 * Whether `raw` is exactly what toFieldsV1 gives for the set it decodes to,
 * and that set is not empty: `.` first and only beside children (a leaf is
 * `{}`), then path elements in Kubernetes' order, every value an object.
 */
export function isCanonicalFieldsV1(raw: unknown): raw is FieldsV1 {
  return isPlainObject(raw) && canonicalNode(raw, true);
}

function canonicalNode(node: FieldsV1, root: boolean): boolean {
  let dot = false;
  let prev: string | undefined;
  for (const el in node) {
    const v = node[el];
    if (el === '.') {
      if (dot || prev !== undefined || !isEmptyObject(v)) return false;
      dot = true;
      continue;
    }
    if (!isElement(el) || !isPlainObject(v)) return false;
    if (prev !== undefined && !(compareElements(prev, el) < 0)) return false;
    if (!canonicalNode(v, false)) return false;
    prev = el;
  }
  // A lone `.` encodes as `{}`; an empty root is an empty set.
  return prev !== undefined || (!root && !dot);
}

/** Whether the path ending at this canonical node is a member: it says `.`, or (below the root) it is a leaf. */
function isMember(node: FieldsV1, root: boolean): boolean {
  for (const el in node) return el === '.';
  return !root;
}

function child(node: FieldsV1, el: string): FieldsV1 | undefined {
  return Object.hasOwn(node, el) ? (node[el] as FieldsV1) : undefined;
}

/** overlaps(decoded raw, set) for a canonical `raw`; walks only the paths of `set`. */
export function overlapsFieldsV1(raw: FieldsV1, set: FieldSet, root = true): boolean {
  if (set.member && isMember(raw, root)) return true;
  for (const [el, sub] of set.children) {
    const next = child(raw, el);
    if (next && overlapsFieldsV1(next, sub, false)) return true;
  }
  return false;
}

/** Whether every member of `set` is a member of canonical `raw`. */
export function coversFieldsV1(raw: FieldsV1, set: FieldSet, root = true): boolean {
  if (set.member && !isMember(raw, root)) return false;
  for (const [el, sub] of set.children) {
    const next = child(raw, el);
    if (next ? !coversFieldsV1(next, sub, false) : !isEmpty(sub)) return false;
  }
  return true;
}

