// Gathers, for a set of resources, their paths and every schema they reach.

import type { ResourceInfo } from '../../api/scheme.ts';
import { lookupType } from '../../api/schema/index.ts';
import { resourcePaths, type PathItem } from './operations.ts';
import { addSharedMeta, listSchema, sharedMeta, type SchemaSet } from './schemas.ts';

const scaleType = 'io.k8s.api.autoscaling.v1.Scale';

/**
 * `complete` is false when some referenced type is not in the schema data: then
 * kubectl must not be told to compute strategic merge patches from these schemas.
 */
export function collectResources(set: SchemaSet, rs: readonly ResourceInfo[]): { items: PathItem[]; complete: boolean } {
  addSharedMeta(set);
  const items: PathItem[] = [];
  for (const r of rs) {
    if (!set.addType(r.schema)) set.addSchema(r.schema, { description: `${r.kind} (schema not published yet).`, type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-group-version-kind': [{ group: r.group, kind: r.kind, version: r.version }] });
    const list = `${r.schema}List`;
    if (!lookupType(list)) set.addSchema(list, listSchema(set, r.schema, r.group, r.version, r.listKind));
    else set.addType(list);
    const scale = r.subresources.includes('scale') && lookupType(scaleType) && set.addType(scaleType) ? { schema: scaleType, gvk: { group: 'autoscaling', version: 'v1', kind: 'Scale' } } : undefined;
    items.push(
      ...resourcePaths(
        r,
        { object: r.schema, list, status: sharedMeta.status, deleteOptions: sharedMeta.deleteOptions, watchEvent: sharedMeta.watchEvent, patch: sharedMeta.patch },
        scale,
      ),
    );
  }
  return { items, complete: set.missing.size === 0 };
}

/** Patch formats a PATCH operation accepts; strategic merge only over complete schemas. */
export function patchContentTypes(complete: boolean): string[] {
  const types = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
  if (complete) types.push('application/strategic-merge-patch+json');
  return types;
}
