// Child process for the durability test: writes keys with several concurrent
// writers and prints each key once its write is acknowledged, until killed.

import { openSqliteStorage } from '../sqlite/sqlite.ts';
import type { CommitPlace } from '../sqlite/committer.ts';

const [path, writersArg, place] = process.argv.slice(2);
if (!path) throw new Error('usage: durable-writer.ts <db-path> [writers] [auto|thread|event-loop]');
const storage = openSqliteStorage(path, { compactInterval: 0, commitPlace: (place ?? 'auto') as CommitPlace });
let next = 0;

async function writer(): Promise<void> {
  for (;;) {
    const key = `/durable/${String(next++).padStart(8, '0')}`;
    await storage.create(key, `value-of-${key}`);
    // Pipes are written synchronously on Linux, so a printed key was acknowledged before any kill.
    process.stdout.write(`${key}\n`);
  }
}

await Promise.all(Array.from({ length: Number(writersArg ?? 16) }, writer));
