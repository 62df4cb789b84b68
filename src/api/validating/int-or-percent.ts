// IntOrString fields that are counts or percentages (maxSurge, maxUnavailable, PDB bounds).

import { regexError } from '../../machinery/names.ts';
import { fieldInvalid, type FieldError } from '../../machinery/status.ts';

/** The value as a number of percent points or a count; undefined when absent. */
export function validateIntOrPercent(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'number') return v < 0 ? [fieldInvalid(path, v, 'must be greater than or equal to 0')] : [];
  if (typeof v !== 'string' || !/^[0-9]+%$/.test(v)) {
    return [fieldInvalid(path, v, regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%'))];
  }
  return Number(v.slice(0, -1)) > 100 ? [fieldInvalid(path, v, 'must not be greater than 100%')] : [];
}

/** True for 0 and "0%". */
export const isZero = (v: unknown): boolean => v === 0 || v === '0%';
