// A pod's resolver configuration by dnsPolicy, as the kubelet builds it:
// ClusterFirst → the cluster DNS with Kubernetes' search path, Default → the
// node's resolv.conf, None → only the pod's dnsConfig (merged in every case).

import { readFileSync, statSync } from 'node:fs';
import type { Pod } from '../types.ts';

export type DnsConfig = { servers: string[]; searches: string[]; options: string[] };

export type DnsContext = { clusterDNS?: string[]; clusterDomain?: string; /** Default /etc/resolv.conf. */ resolvConf?: string };

const maxNameservers = 3;
const maxSearches = 32;

export function parseResolvConf(text: string): DnsConfig {
  const out: DnsConfig = { servers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const fields = line.replace(/[#;].*$/, '').trim().split(/\s+/);
    const [key, ...rest] = fields;
    if (key === 'nameserver' && rest[0]) out.servers.push(rest[0]);
    // A later search line replaces an earlier one, as in the resolver.
    else if (key === 'search') out.searches = rest;
    else if (key === 'options') out.options.push(...rest);
  }
  return out;
}

// Parsed once per change of the file: hollow nodes build sandboxes by the thousand. The file is
// looked at (stat) at most once a second, so a change reaches new sandboxes within a second.
const hostCache = new Map<string, { mtimeMs: number; checkedAt: number; cfg: DnsConfig }>();
const recheckMs = 1000;

function hostDns(path: string): DnsConfig {
  try {
    const now = performance.now();
    let hit = hostCache.get(path);
    if (!hit || now - hit.checkedAt >= recheckMs) {
      const { mtimeMs } = statSync(path);
      if (!hit || hit.mtimeMs !== mtimeMs) hit = { mtimeMs, checkedAt: now, cfg: parseResolvConf(readFileSync(path, 'utf8')) };
      hit.checkedAt = now;
      hostCache.set(path, hit);
    }
    const { servers, searches, options } = hit.cfg;
    return { servers: [...servers], searches: [...searches], options: [...options] };
  } catch {
    // No resolv.conf on the node: the pod gets none either.
    hostCache.delete(path);
    return { servers: [], searches: [], options: [] };
  }
}

export function podDnsConfig(pod: Pod, ctx: DnsContext): DnsConfig {
  let policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  // Host-network pods use the node's resolver unless they ask for ClusterFirstWithHostNet.
  if (policy === 'ClusterFirst' && pod.spec.hostNetwork) policy = 'Default';
  if ((policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') && !ctx.clusterDNS?.length) policy = 'Default';
  let cfg: DnsConfig;
  if (policy === 'None') cfg = { servers: [], searches: [], options: [] };
  else if (policy === 'Default') cfg = hostDns(ctx.resolvConf ?? '/etc/resolv.conf');
  else {
    const host = hostDns(ctx.resolvConf ?? '/etc/resolv.conf');
    const domain = ctx.clusterDomain ?? 'cluster.local';
    const ns = pod.metadata.namespace ?? 'default';
    cfg = { servers: [...(ctx.clusterDNS ?? [])], searches: [`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...host.searches], options: ['ndots:5'] };
  }
  const extra = pod.spec.dnsConfig;
  if (extra) {
    cfg.servers = [...new Set([...cfg.servers, ...(extra.nameservers ?? [])])];
    cfg.searches = [...new Set([...cfg.searches, ...(extra.searches ?? [])])];
    cfg.options = mergeOptions(cfg.options, (extra.options ?? []).map((o) => (o.value !== undefined ? `${o.name}:${o.value}` : o.name)));
  }
  cfg.servers = cfg.servers.slice(0, maxNameservers);
  cfg.searches = cfg.searches.slice(0, maxSearches);
  return cfg;
}

/** Options by name; a later one replaces an earlier one of the same name. */
function mergeOptions(base: string[], extra: string[]): string[] {
  const byName = new Map<string, string>();
  for (const o of [...base, ...extra]) byName.set(o.split(':')[0] ?? o, o);
  return [...byName.values()];
}
