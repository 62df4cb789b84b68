// Reads the parts of a kubeconfig a client needs: the current context's server and credentials.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

export type ClientConfig = {
  server: string;
  token?: string;
  /** PEM, for https servers. */
  ca?: string;
  cert?: string;
  key?: string;
  insecureSkipTlsVerify?: boolean;
  namespace?: string;
};

type Named<T> = { name?: string } & Record<string, T | undefined>;

export function loadKubeconfig(path: string, contextName?: string): ClientConfig {
  const doc = (parse(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>;
  const base = dirname(resolve(path));
  const find = <T>(list: unknown, field: string, name: string | undefined): T | undefined => {
    if (!Array.isArray(list)) return undefined;
    const hit = (list as Named<T>[]).find((e) => e?.name === name) ?? (name === undefined ? (list as Named<T>[])[0] : undefined);
    return hit?.[field];
  };
  const current = contextName ?? (doc['current-context'] as string | undefined);
  const context = find<Record<string, string>>(doc['contexts'], 'context', current) ?? {};
  const cluster = find<Record<string, unknown>>(doc['clusters'], 'cluster', context['cluster']);
  if (!cluster || typeof cluster['server'] !== 'string') throw new Error(`kubeconfig ${path}: no cluster server for context "${current ?? ''}"`);
  const user = find<Record<string, unknown>>(doc['users'], 'user', context['user']) ?? {};
  const fileOrData = (data: unknown, file: unknown): string | undefined => {
    if (typeof data === 'string') return Buffer.from(data, 'base64').toString('utf8');
    if (typeof file === 'string') return readFileSync(resolve(base, file), 'utf8');
    return undefined;
  };
  const cfg: ClientConfig = { server: cluster['server'].replace(/\/+$/, '') };
  const token = typeof user['token'] === 'string' ? user['token'] : typeof user['tokenFile'] === 'string' ? readFileSync(resolve(base, user['tokenFile']), 'utf8').trim() : undefined;
  if (token) cfg.token = token;
  const ca = fileOrData(cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (ca) cfg.ca = ca;
  const cert = fileOrData(user['client-certificate-data'], user['client-certificate']);
  if (cert) cfg.cert = cert;
  const key = fileOrData(user['client-key-data'], user['client-key']);
  if (key) cfg.key = key;
  if (cluster['insecure-skip-tls-verify'] === true) cfg.insecureSkipTlsVerify = true;
  if (context['namespace']) cfg.namespace = context['namespace'];
  return cfg;
}
