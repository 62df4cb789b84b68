// Validation per kind: a list of field errors, empty when the object is valid.
// Keyed by groupKindKey (`Deployment.apps`, `Pod`).

import type { FieldError } from '../machinery/status.ts';
import type { KubeObject } from './meta.ts';

/** `old` is set for updates (to check immutable fields). */
export type Validator = (obj: KubeObject, old: KubeObject | undefined) => FieldError[];

const validators = new Map<string, Validator>();

export function registerValidator(groupKind: string, fn: Validator): void {
  validators.set(groupKind, fn);
}

export function validateObject(groupKind: string, obj: KubeObject, old?: KubeObject): FieldError[] {
  return validators.get(groupKind)?.(obj, old) ?? [];
}
