// containerd's per-registry hosts.toml files (certs.d/<host>/hosts.toml):
// plain-http registries and pull mirrors.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type RegistryOptions = {
  /** 'host:port' registries pulled over plain http. */
  insecureRegistries?: string[];
  /** Registry host (e.g. 'docker.io') → mirror URLs tried in order before it. */
  mirrors?: Record<string, string[]>;
};

type HostsFile = { server: string; hosts: string[] };

const str = (s: string): string => JSON.stringify(s);
const bareHost = (s: string): string => s.replace(/^https?:\/\//, '').replace(/\/+$/, '');

function checkHost(host: string, what: string): void {
  if (!/^[A-Za-z0-9.\-[\]:]+$/.test(host)) throw new Error(`${what} ${JSON.stringify(host)} is not a host[:port]`);
}

/** The hosts.toml text per registry host. */
export function renderRegistryHosts(opts: RegistryOptions): Map<string, string> {
  const files = new Map<string, HostsFile>();
  const insecure = new Set<string>();
  for (const reg of opts.insecureRegistries ?? []) {
    const host = bareHost(reg);
    checkHost(host, 'insecure registry');
    insecure.add(host);
    files.set(host, { server: `http://${host}`, hosts: [] });
  }
  for (const [registry, urls] of Object.entries(opts.mirrors ?? {})) {
    checkHost(registry, 'mirrored registry');
    const server = insecure.has(registry) ? `http://${registry}` : registry === 'docker.io' ? 'https://registry-1.docker.io' : `https://${registry}`;
    files.set(registry, { server, hosts: urls.map((u) => (/^https?:\/\//.test(u) ? u.replace(/\/+$/, '') : `https://${u}`)) });
  }
  const out = new Map<string, string>();
  for (const [host, f] of files) {
    // The server itself is listed last so mirrors are tried first; plain http needs skip_verify.
    const lines = [`server = ${str(f.server)}`, ''];
    for (const u of [...f.hosts, ...(f.server.startsWith('http://') ? [f.server] : [])]) {
      lines.push(`[host.${str(u)}]`, '  capabilities = ["pull", "resolve"]');
      if (u.startsWith('http://')) lines.push('  skip_verify = true');
      lines.push('');
    }
    out.set(host, lines.join('\n'));
  }
  return out;
}

/** Rewrites certsDir from scratch so removed flags do not linger. */
export function writeRegistryHosts(certsDir: string, opts: RegistryOptions): void {
  const files = renderRegistryHosts(opts);
  rmSync(certsDir, { recursive: true, force: true });
  mkdirSync(certsDir, { recursive: true });
  for (const [host, text] of files) {
    mkdirSync(join(certsDir, host), { recursive: true });
    writeFileSync(join(certsDir, host, 'hosts.toml'), text);
  }
}
