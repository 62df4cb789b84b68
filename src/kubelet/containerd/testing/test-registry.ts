// Test helper: Debian's docker-registry on a free 127.0.0.1 port, plus
// pushing image archives into it with skopeo.

import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REGISTRY_BIN = '/usr/bin/docker-registry';

export type TestRegistry = {
  /** '127.0.0.1:PORT' */
  host: string;
  /** Pushes a docker-archive tar as host/repo:tag and returns that reference. */
  push(tar: string, repoAndTag: string): Promise<string>;
  stop(): Promise<void>;
};

export function testRegistryMissing(): string | undefined {
  for (const bin of [REGISTRY_BIN, '/usr/bin/skopeo']) if (!existsSync(bin)) return `${bin} not found (apt-get install docker-registry skopeo)`;
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function startTestRegistry(): Promise<TestRegistry> {
  const dir = mkdtempSync('/tmp/skreg-');
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const config = join(dir, 'config.yml');
  writeFileSync(config, `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: ${host}\n`);
  const logFile = join(dir, 'registry.log');
  const fd = openSync(logFile, 'a');
  const child = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let gone = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => ((gone = true), resolve())));
  const stop = async (): Promise<void> => {
    if (!gone) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await fetch(`http://${host}/v2/`).then((r) => r.ok, () => false);
    if (ok) break;
    if (gone || Date.now() > deadline) {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      await stop();
      throw new Error(`docker-registry did not answer on ${host}: ${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    host,
    async push(tar, repoAndTag) {
      const ref = `${host}/${repoAndTag}`;
      await run('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `docker-archive:${tar}`, `docker://${ref}`]);
      return ref;
    },
    stop,
  };
}
