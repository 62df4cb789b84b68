// Compact builders for writing TypeDefs by hand:
//   type('io.k8s.api.core.v1.ConfigMap', 'Holds configuration data.', [
//     field('metadata', 1, ref(meta('ObjectMeta')), 'Standard object metadata.'),
//     field('data', 2, map(string), 'Configuration data.'),
//   ], { gvk: [{ group: '', version: 'v1', kind: 'ConfigMap' }] })

import type { GroupVersionKind } from '../meta.ts';
import type { FieldDef, FieldType, Scalar, TypeDef } from './types.ts';

const scalar = (s: Scalar): FieldType => ({ kind: 'scalar', scalar: s });

export const string = scalar('string');
export const int32 = scalar('int32');
export const int64 = scalar('int64');
export const double = scalar('double');
export const boolean = scalar('boolean');
export const bytes = scalar('bytes');
export const quantity = scalar('quantity');
export const intOrString = scalar('intOrString');
export const time = scalar('time');
export const microTime = scalar('microTime');
export const rawExtension = scalar('rawExtension');
export const freeForm = scalar('object');

export const ref = (name: string): FieldType => ({ kind: 'ref', ref: name });
export const array = (items: FieldType): FieldType => ({ kind: 'array', items });
export const map = (values: FieldType): FieldType => ({ kind: 'map', values });

/** Full names of the shared meta/v1 types. */
export const meta = (name: string): string => `io.k8s.apimachinery.pkg.apis.meta.v1.${name}`;
export const core = (name: string): string => `io.k8s.api.core.v1.${name}`;

type FieldExtras = Omit<FieldDef, 'name' | 'protoTag' | 'type' | 'description'>;

export function field(name: string, protoTag: number, type: FieldType, description: string, extras?: FieldExtras): FieldDef {
  return { name, protoTag, type, description, ...extras };
}

/** A list merged by key in strategic merge patch and a list-map in server-side apply. */
export function keyedList(name: string, protoTag: number, items: string, key: string, description: string, extras?: FieldExtras): FieldDef {
  return field(name, protoTag, array(ref(items)), description, {
    patchStrategy: 'merge',
    patchMergeKey: key,
    listType: 'map',
    listMapKeys: [key],
    ...extras,
  });
}

export function type(
  name: string,
  description: string,
  fields: readonly FieldDef[],
  extras?: { gvk?: readonly GroupVersionKind[]; atomic?: boolean },
): TypeDef {
  return { name, description, fields, ...extras };
}

/** The gvk list for a top-level kind. */
export const gvk = (group: string, version: string, kind: string): readonly GroupVersionKind[] => [{ group, version, kind }];
