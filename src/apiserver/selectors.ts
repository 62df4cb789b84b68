// List and watch filters from `labelSelector` and `fieldSelector`, checked
// against the fields each resource supports (as the scheme declares them).

import type { KubeObject } from '../api/meta.ts';
import type { ResourceInfo } from '../api/scheme.ts';
import { parseSelector } from '../machinery/labels.ts';
import { parseFieldSelector } from '../machinery/fields.ts';
import { getKey, hasKey } from '../machinery/own-keys.ts';
import { badRequest } from '../machinery/status.ts';

export type ObjectFilter = (obj: KubeObject) => boolean;

function valueAt(obj: unknown, path: string): string | undefined {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

/** The value of a selectable field of an object, as field selectors compare it. */
export function fieldValue(info: ResourceInfo, obj: KubeObject, field: string): string | undefined {
  if (field === 'metadata.name') return obj.metadata.name ?? '';
  if (field === 'metadata.namespace') return info.namespaced ? (obj.metadata.namespace ?? '') : '';
  const path = getKey(info.fields, field);
  return path === undefined ? undefined : valueAt(obj, path);
}

export function buildFilter(info: ResourceInfo, query: URLSearchParams, nameFromPath?: string): ObjectFilter | undefined {
  const labelText = query.get('labelSelector') ?? '';
  let fieldText = query.get('fieldSelector') ?? '';
  if (nameFromPath) fieldText = fieldText ? `${fieldText},metadata.name=${nameFromPath}` : `metadata.name=${nameFromPath}`;
  const labels = labelText ? parseSelector(labelText) : undefined;
  const fields = fieldText ? parseFieldSelector(fieldText) : undefined;
  if (fields) {
    for (const r of fields.requirements) {
      if (r.field !== 'metadata.name' && r.field !== 'metadata.namespace' && !hasKey(info.fields, r.field)) {
        throw badRequest(`field label not supported: ${r.field}`);
      }
    }
  }
  const labelFilter = labels && !labels.empty ? labels : undefined;
  const fieldFilter = fields && !fields.empty ? fields : undefined;
  if (!labelFilter && !fieldFilter) return undefined;
  return (obj) =>
    (!labelFilter || labelFilter.matches(obj.metadata.labels)) &&
    (!fieldFilter || fieldFilter.matches((f) => fieldValue(info, obj, f)));
}
