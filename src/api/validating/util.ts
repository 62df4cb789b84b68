// Shared pieces of per-kind validation: typed reads of plain JSON, ranges,
// label selectors, immutability. Messages are worded like Kubernetes'.

import { isQualifiedName, validateLabels, validateObjectMeta, validateObjectMetaUpdate, type NameFn } from '../../machinery/names.ts';
import type { KubeObject } from '../meta.ts';
import { selectorFromLabelSelector, type LabelSelector } from '../../machinery/labels.ts';
import { fieldForbidden, fieldInvalid, fieldRequired, type FieldError } from '../../machinery/status.ts';
import { deepEqual } from '../../machinery/deep-equal.ts';

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Obj => (isObj(v) ? v : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const objs = (v: unknown): Obj[] => arr(v).map(obj);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** Any JSON value as text, for sizes and keys; never throws. */
export const text = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
export const strMap = (v: unknown): Record<string, string> => (isObj(v) ? (v as Record<string, string>) : {});

export function nonNegative(path: string, v: unknown): FieldError[] {
  return typeof v === 'number' && v < 0 ? [fieldInvalid(path, v, 'must be greater than or equal to 0')] : [];
}

export function positive(path: string, v: unknown): FieldError[] {
  return typeof v === 'number' && v <= 0 ? [fieldInvalid(path, v, 'must be greater than zero')] : [];
}

export function inRange(path: string, v: unknown, lo: number, hi: number): FieldError[] {
  return typeof v === 'number' && (v < lo || v > hi) ? [fieldInvalid(path, v, `must be between ${lo} and ${hi}, inclusive`)] : [];
}

/** ValidateImmutableField: `field is immutable`, reporting the new value. */
export function immutable(path: string, next: unknown, old: unknown): FieldError[] {
  return deepEqual(next, old) ? [] : [fieldInvalid(path, next ?? null, 'field is immutable')];
}

export { deepEqual };

/** metav1.LabelSelector shape: keys, values and operators. */
export function validateLabelSelector(sel: unknown, path: string): FieldError[] {
  if (sel === undefined || sel === null) return [];
  const s = obj(sel);
  const errs = validateLabels(strMap(s['matchLabels']), `${path}.matchLabels`);
  objs(s['matchExpressions']).forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = arr(e['values']);
    switch (e['operator']) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fieldRequired(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(fieldForbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(fieldInvalid(`${p}.operator`, e['operator'] ?? '', 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(str(e['key']))) errs.push(fieldInvalid(`${p}.key`, e['key'] ?? '', m));
  });
  return errs;
}

/** Workload selector: required, non-empty and selecting the template's labels. */
export function validateWorkloadSelector(sel: unknown, templateLabels: unknown, path: string, templatePath: string, kind: string): FieldError[] {
  if (sel === undefined || sel === null) return [fieldRequired(path)];
  const errs = validateLabelSelector(sel, path);
  if (errs.length > 0) return errs;
  const s = obj(sel);
  if (Object.keys(strMap(s['matchLabels'])).length === 0 && arr(s['matchExpressions']).length === 0) {
    return [fieldInvalid(path, sel, `empty selector is invalid for ${kind}`)];
  }
  try {
    if (!selectorFromLabelSelector(s as LabelSelector).matches(strMap(templateLabels))) {
      errs.push(fieldInvalid(`${templatePath}.metadata.labels`, templateLabels ?? {}, '`selector` does not match template `labels`'));
    }
  } catch (e) {
    errs.push(fieldInvalid(path, sel, (e as Error).message));
  }
  return errs;
}

/** Object meta on create, plus the immutable parts on update. */
export function validateMeta(o: KubeObject, old: KubeObject | undefined, namespaced: boolean, nameFn: NameFn): FieldError[] {
  const errs = validateObjectMeta(o.metadata, namespaced, nameFn);
  if (old) errs.push(...validateObjectMetaUpdate(o.metadata, old.metadata));
  return errs;
}
