// Moving from client-side to server-side apply: kubectl's last-applied
// annotation lets `kubectl apply --server-side` take over the fields that
// client-side apply set, and is kept up to date by later server-side applies.

import type { KubeObject } from '../../api/meta.ts';
import { setKey } from '../own-keys.ts';
import { difference, type FieldSet } from './field-set.ts';
import { isObject, type Shape } from './shape.ts';
import { compare, fieldSetOf } from './typed.ts';

export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Fields whose live value is still what the last client-side apply set:
 * applying them with the `kubectl` manager is not a conflict.
 */
export function allowedByLastApplied(live: KubeObject | undefined, shape: Shape): FieldSet | undefined {
  const raw = live?.metadata.annotations?.[lastAppliedAnnotation];
  if (!raw) return undefined;
  try {
    const last: unknown = JSON.parse(raw);
    if (!isObject(last)) return undefined;
    const diff = compare(last, live, shape);
    return difference(difference(fieldSetOf(last, shape), diff.changed), diff.removed);
  } catch {
    return undefined;
  }
}

function sortedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) setKey(out, k, sortedKeys(v[k]));
  return out;
}

/** The annotation's value for an applied configuration, encoded as kubectl encodes it. */
export function lastAppliedValue(applied: KubeObject): string {
  const copy = structuredClone(applied);
  const annotations = copy.metadata?.annotations;
  if (annotations) delete annotations[lastAppliedAnnotation];
  return `${JSON.stringify(sortedKeys(copy))}\n`;
}
