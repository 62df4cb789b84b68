// An in-process API server on a temporary SQLite file, for tests of anything
// that talks to the API through the client.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer } from '../../apiserver/server.ts';
import type { Clock } from '../../machinery/clock.ts';
import { openSqliteStorage, type SqliteStorage } from '../../storage/sqlite/sqlite.ts';
import { RestClient } from '../rest-client.ts';

export type TestCluster = {
  client: RestClient;
  url: string;
  clock?: Clock;
  storage: SqliteStorage;
  apiServer: ApiServer;
  /** Another client of the same server (its own connection pool). */
  newClient(): RestClient;
  /** Closes the HTTP server (dropping every connection and watch) and starts a new one on the same port and storage. */
  restart(between?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
};

export async function startTestCluster(opts: { clock?: Clock } = {}): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-client-'));
  // NORMAL sync: tests do not need power-loss durability, and it is much faster.
  const storage = openSqliteStorage(join(dir, 'state.db'), { synchronous: 'NORMAL', compactInterval: 0 });
  const serverOpts = opts.clock ? { storage, clock: opts.clock } : { storage };
  let apiServer = await startApiServer(serverOpts);
  const port = apiServer.port;
  const url = apiServer.url;
  const clients: RestClient[] = [];
  const newClient = (): RestClient => {
    const c = new RestClient({ server: url });
    clients.push(c);
    return c;
  };
  const cluster: TestCluster = {
    client: newClient(),
    url,
    storage,
    apiServer,
    newClient,
    async restart(between) {
      await apiServer.close();
      if (between) await between();
      apiServer = await startApiServer({ ...serverOpts, port });
      cluster.apiServer = apiServer;
    },
    async stop() {
      for (const c of clients) c.close();
      await apiServer.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (opts.clock) cluster.clock = opts.clock;
  return cluster;
}
