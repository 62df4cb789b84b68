// Which store the control plane runs on: the embedded SQLite log under the
// data dir (default), or an etcd cluster shared by several API servers.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage } from '../storage/interface.ts';
import { openSqliteStorage } from '../storage/sqlite/sqlite.ts';
import { openEtcdStorage } from '../storage/etcd/etcd.ts';

export type StoreKind = 'sqlite' | 'etcd';

export type OpenStorageOptions = {
  store: StoreKind;
  dataDir: string;
  /** Client URLs of the etcd members (`http://host:port`); required for 'etcd'. */
  etcdEndpoints?: string[];
  /** Upper bound of one etcd operation; a cluster without quorum fails writes after this. Default 5 s. */
  etcdRequestTimeoutMs?: number;
  log?: (line: string) => void;
};

export async function openStorage(opts: OpenStorageOptions): Promise<Storage> {
  if (opts.store === 'sqlite') {
    mkdirSync(join(opts.dataDir, 'db'), { recursive: true });
    return openSqliteStorage(join(opts.dataDir, 'db', 'state.db'));
  }
  if (opts.store === 'etcd') {
    const endpoints = (opts.etcdEndpoints ?? []).map((e) => e.trim()).filter((e) => e !== '');
    if (endpoints.length === 0) throw new Error('--store etcd needs --etcd-endpoints URL[,URL...]');
    return openEtcdStorage({
      endpoints,
      ...(opts.etcdRequestTimeoutMs !== undefined ? { requestTimeoutMs: opts.etcdRequestTimeoutMs } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    });
  }
  throw new Error(`unknown store ${JSON.stringify(opts.store)}: use sqlite or etcd`);
}

/** Parses `--etcd-endpoints a,b,c`. */
export function parseEndpoints(flag: string | undefined): string[] {
  return (flag ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
}
