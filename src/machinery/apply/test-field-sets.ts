// Random field sets for the field-set and fieldsV1 property tests.

import fc from 'fast-check';
import { emptySet, insertPath, type FieldSet } from './field-set.ts';

/** Lists of paths (1 to 4 of `elements` each), to build sets from. */
export const pathsOf = (elements: string[]): fc.Arbitrary<string[][]> =>
  fc.array(fc.array(fc.constantFrom(...elements), { minLength: 1, maxLength: 4 }), { maxLength: 12 });

/** The set holding these paths. */
export function build(ps: string[][]): FieldSet {
  const s = emptySet();
  for (const p of ps) insertPath(s, p);
  return s;
}

/** FAST_CHECK_SEED reruns a failure; 42 otherwise, so runs repeat. */
export const seed = Number(process.env['FAST_CHECK_SEED'] ?? 42);
