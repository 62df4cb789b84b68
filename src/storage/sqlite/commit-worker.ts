// The thread that commits the revision log's batches on its own connection,
// so the event loop keeps serving while a commit waits for its fsync.
// Messages in: a batch of rows, or 'close'. Out: 'ok' or { error } per batch.

import { parentPort, workerData } from 'node:worker_threads';
import { DatabaseSync } from 'node:sqlite';
import { insertSql, type LogInsert } from './schema.ts';

export type CommitWorkerData = { path: string; synchronous: 'FULL' | 'NORMAL' };
export type CommitReply = 'ok' | { error: string };

const { path, synchronous } = workerData as CommitWorkerData;
const port = parentPort!;
const db = new DatabaseSync(path);
db.exec(`PRAGMA synchronous = ${synchronous}`);
db.exec('PRAGMA busy_timeout = 5000');
const insert = db.prepare(insertSql);

port.on('message', (msg: LogInsert[] | 'close') => {
  if (msg === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: CommitReply = 'ok';
  try {
    db.exec('BEGIN IMMEDIATE');
    for (const row of msg) insert.run(...row);
    db.exec('COMMIT');
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    reply = { error: String(err) };
  }
  port.postMessage(reply);
});
