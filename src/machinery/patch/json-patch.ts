// RFC 6902 JSON patch: a list of add/remove/replace/move/copy/test
// operations applied in order to a copy of the document. The whole patch
// is checked for shape first (400); an operation that cannot apply to this
// document makes the whole patch fail (422), as in Kubernetes.

import { malformedPatch, patchNotApplicable } from './errors.ts';
import { arrayIndex, parsePointer } from './json-pointer.ts';
import { cloneJson, deleteKey, describe, getKey, hasKey, isJsonObject, jsonEqual, setKey } from './json-value.ts';
import { tooLarge } from '../status.ts';

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/** The Kubernetes API server refuses longer JSON patches. */
export const maxJsonPatchOperations = 10000;

export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const ops = decodeJsonPatch(patch);
  // The document is wrapped so that the root ("") is just another slot.
  const root = { doc: cloneJson(doc) };
  for (const [i, op] of ops.entries()) applyOperation(root, op, i);
  return root.doc;
}

export function decodeJsonPatch(patch: unknown): JsonPatchOperation[] {
  if (!Array.isArray(patch)) throw malformedPatch(`invalid JSON patch: expected an array of operations, got ${describe(patch)}`);
  if (patch.length > maxJsonPatchOperations) {
    throw tooLarge(`The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${patch.length}`);
  }
  return patch.map((raw, i) => decodeOperation(raw, i));
}

function decodeOperation(raw: unknown, i: number): JsonPatchOperation {
  if (!isJsonObject(raw)) throw malformedPatch(`invalid JSON patch: operation ${i} is not an object: ${describe(raw)}`);
  const op = getKey(raw, 'op');
  const path = pointerField(raw, 'path', i);
  switch (op) {
    case 'add':
    case 'replace':
    case 'test':
      if (!hasKey(raw, 'value')) throw malformedPatch(`invalid JSON patch: ${op} operation ${i} has no "value"`);
      return { op, path, value: raw['value'] };
    case 'remove':
      return { op, path };
    case 'move':
    case 'copy':
      return { op, from: pointerField(raw, 'from', i), path };
    default:
      throw malformedPatch(`invalid JSON patch: operation ${i} has unknown op ${describe(op)}`);
  }
}

function pointerField(raw: Record<string, unknown>, name: string, i: number): string {
  const v = getKey(raw, name);
  if (typeof v !== 'string') throw malformedPatch(`invalid JSON patch: operation ${i} has no string "${name}"`);
  parsePointer(v);
  return v;
}

type Root = { doc: unknown };

function applyOperation(root: Root, op: JsonPatchOperation, i: number): void {
  const fail = (why: string): never => {
    throw patchNotApplicable(`${op.op} operation ${i} on path "${op.path}" does not apply: ${why}`);
  };
  switch (op.op) {
    case 'add':
      return insert(root, parsePointer(op.path), cloneJson(op.value), fail);
    case 'remove':
      take(root, parsePointer(op.path), fail);
      return;
    case 'replace':
      return overwrite(root, parsePointer(op.path), cloneJson(op.value), fail);
    case 'move': {
      const from = parsePointer(op.from);
      const to = parsePointer(op.path);
      if (op.from === op.path) return void resolve(root, from, fail);
      if (to.length > from.length && from.every((t, k) => to[k] === t)) fail(`cannot move "${op.from}" into itself`);
      return insert(root, to, take(root, from, fail), fail);
    }
    case 'copy':
      return insert(root, parsePointer(op.path), cloneJson(resolve(root, parsePointer(op.from), fail)), fail);
    case 'test': {
      const actual = resolve(root, parsePointer(op.path), fail);
      if (!jsonEqual(actual, op.value)) fail(`testing value failed: expected ${describe(op.value)}, found ${describe(actual)}`);
      return;
    }
  }
}

type Fail = (why: string) => never;
/** A place in the document: a container and the key or index in it. */
type Slot = { container: Record<string, unknown> | unknown[]; token: string };

/** The container holding the last token of `tokens`, which must exist. */
function slotOf(root: Root, tokens: string[], fail: Fail): Slot {
  if (tokens.length === 0) return { container: root as Record<string, unknown>, token: 'doc' };
  let container: unknown = root.doc;
  for (const token of tokens.slice(0, -1)) container = child(container, token, fail);
  if (!Array.isArray(container) && !isJsonObject(container)) fail(`parent is ${describe(container)}, not an object or array`);
  return { container: container as Slot['container'], token: tokens[tokens.length - 1] ?? '' };
}

function child(container: unknown, token: string, fail: Fail): unknown {
  if (Array.isArray(container)) {
    const i = arrayIndex(token);
    if (i === undefined || i >= container.length) fail(`no index "${token}" in an array of ${container.length}`);
    return container[i as number];
  }
  if (isJsonObject(container)) {
    if (!hasKey(container, token)) fail(`missing key "${token}"`);
    return container[token];
  }
  return fail(`cannot look up "${token}" in ${describe(container)}`);
}

function resolve(root: Root, tokens: string[], fail: Fail): unknown {
  const { container, token } = slotOf(root, tokens, fail);
  return child(container, token, fail);
}

function take(root: Root, tokens: string[], fail: Fail): unknown {
  if (tokens.length === 0) fail('cannot remove the whole document');
  const { container, token } = slotOf(root, tokens, fail);
  const value = child(container, token, fail);
  if (Array.isArray(container)) container.splice(arrayIndex(token) as number, 1);
  else deleteKey(container, token);
  return value;
}

function overwrite(root: Root, tokens: string[], value: unknown, fail: Fail): void {
  const { container, token } = slotOf(root, tokens, fail);
  child(container, token, fail);
  if (Array.isArray(container)) container[arrayIndex(token) as number] = value;
  else setKey(container, token, value);
}

function insert(root: Root, tokens: string[], value: unknown, fail: Fail): void {
  const { container, token } = slotOf(root, tokens, fail);
  if (Array.isArray(container)) {
    const i = token === '-' ? container.length : arrayIndex(token);
    if (i === undefined || i > container.length) fail(`index "${token}" is out of bounds for an array of ${container.length}`);
    container.splice(i as number, 0, value);
  } else {
    setKey(container, token, value);
  }
}
