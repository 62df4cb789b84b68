// Discovery, derived from the scheme: the legacy documents (/api, /apis,
// /api/v1, /apis/<group>/<version>) and aggregated discovery (apidiscovery.k8s.io/v2).

import { apiVersionOf } from '../api/meta.ts';
import { groupVersions, resources, type ResourceInfo, type Subresource } from '../api/scheme.ts';

const standardVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

type SubresourceShape = { group: string; version: string; kind: string | undefined; verbs: string[] };

function subresourceShape(r: ResourceInfo, sub: Subresource): SubresourceShape {
  const own = { group: r.group, version: r.version, kind: r.kind };
  switch (sub) {
    case 'status':
      return { ...own, verbs: ['get', 'patch', 'update'] };
    case 'scale':
      return { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
    case 'binding':
      return { group: '', version: 'v1', kind: 'Binding', verbs: ['create'] };
    case 'eviction':
      return { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    case 'log':
      return { group: '', version: 'v1', kind: 'Pod', verbs: ['get'] };
    case 'exec':
      return { group: '', version: 'v1', kind: 'PodExecOptions', verbs: ['create', 'get'] };
    case 'attach':
      return { group: '', version: 'v1', kind: 'PodAttachOptions', verbs: ['create', 'get'] };
    case 'portforward':
      return { group: '', version: 'v1', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] };
    case 'proxy':
      return { group: '', version: 'v1', kind: r.kind === 'Pod' ? 'PodProxyOptions' : r.kind === 'Node' ? 'NodeProxyOptions' : 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] };
    case 'ephemeralcontainers':
      return { ...own, verbs: ['get', 'patch', 'update'] };
    case 'token':
      return { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] };
    case 'finalize':
      return { ...own, verbs: ['update'] };
  }
}

function resourcesOf(group: string, version: string): ResourceInfo[] {
  return resources.filter((r) => r.group === group && r.version === version);
}

export function apiVersions(host: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }] };
}

function apiGroup(group: string): object {
  const versions = groupVersions()
    .filter((gv) => gv.group === group)
    .map((gv) => ({ groupVersion: apiVersionOf(gv.group, gv.version), version: gv.version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(): object {
  const groups = [...new Set(groupVersions().map((gv) => gv.group))].filter((g) => g !== '');
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(apiGroup) };
}

export function apiGroupDocument(group: string): object | undefined {
  if (!group || !groupVersions().some((gv) => gv.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) };
}

export function apiResourceList(group: string, version: string): object | undefined {
  const list = resourcesOf(group, version);
  if (list.length === 0) return undefined;
  const out: object[] = [];
  for (const r of list) {
    const entry: Record<string, unknown> = {
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: standardVerbs,
    };
    if (r.shortNames.length) entry.shortNames = r.shortNames;
    if (r.categories.length) entry.categories = r.categories;
    out.push(entry);
    for (const sub of r.subresources) {
      const s = subresourceShape(r, sub);
      const subEntry: Record<string, unknown> = { name: `${r.resource}/${sub}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
      if (s.group !== r.group) subEntry.group = s.group;
      if (s.version !== r.version) subEntry.version = s.version;
      out.push(subEntry);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources: out };
}

export const aggregatedContentType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True when the Accept header asks for aggregated discovery (v2). */
export function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const p = part.replace(/\s/g, '');
    return p.includes('g=apidiscovery.k8s.io') && p.includes('v=v2') && p.includes('as=APIGroupDiscoveryList');
  });
}

function discoveryResource(r: ResourceInfo): object {
  const out: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: standardVerbs,
  };
  if (r.shortNames.length) out.shortNames = r.shortNames;
  if (r.categories.length) out.categories = r.categories;
  if (r.subresources.length) {
    out.subresources = r.subresources.map((sub) => {
      const s = subresourceShape(r, sub);
      return { subresource: sub, responseKind: { group: s.group, version: s.version, kind: s.kind }, verbs: s.verbs };
    });
  }
  return out;
}

/** Aggregated discovery for /api (core only) or /apis (every named group). */
export function aggregatedDiscovery(core: boolean): object {
  const groups = new Map<string, { version: string; resources: object[] }[]>();
  for (const gv of groupVersions()) {
    if ((gv.group === '') !== core) continue;
    const versions = groups.get(gv.group) ?? [];
    versions.push({ version: gv.version, resources: resourcesOf(gv.group, gv.version).map(discoveryResource) });
    groups.set(gv.group, versions);
  }
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: [...groups.entries()].map(([group, versions]) => ({
      metadata: group ? { name: group } : {},
      versions: versions.map((v) => ({ version: v.version, resources: v.resources, freshness: 'Current' })),
    })),
  };
}
