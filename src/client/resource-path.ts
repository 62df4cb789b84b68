// URL paths derived from the scheme: `/api/v1/...` for the core group, `/apis/<group>/<version>/...` otherwise.

import type { ResourceInfo } from '../api/scheme.ts';

export function resourcePath(r: ResourceInfo, namespace: string | undefined, name?: string, subresource?: string): string {
  let p = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  if (r.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${r.resource}`;
  if (name !== undefined) {
    if (name === '') throw new Error(`${r.resource}: a name is required`);
    p += `/${encodeURIComponent(name)}`;
    if (subresource) p += `/${subresource}`;
  }
  return p;
}

/** `?a=b&c=d` from the defined entries, or '' when there are none. */
export function queryString(params: Record<string, string | number | boolean | undefined>): string {
  let q = '';
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '') continue;
    q += `${q ? '&' : '?'}${k}=${encodeURIComponent(String(v))}`;
  }
  return q;
}
