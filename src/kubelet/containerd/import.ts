// Imports image archives (docker-archive or OCI tars) into a containerd's
// k8s.io namespace, where its CRI plugin sees them.

import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CTR_BIN } from './containerd.ts';

const run = promisify(execFile);

/** Where scripts/build-images.sh puts busybox.tar and pause.tar in a checkout. */
export const BUILT_IMAGES_DIR = fileURLToPath(new URL('../../../build/images', import.meta.url));

/** The *.tar archives directly in dir (none when it does not exist), sorted. */
export function imageArchivesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tar'))
    .sort()
    .map((f) => join(dir, f));
}

export type ImportedImage = { file: string; names: string[] };

/**
 * `ctr -a SOCK -n k8s.io images import FILE` for every file at once (agent
 * start waits on this); throws naming the first file that failed.
 */
export async function importImages(socket: string, files: string[]): Promise<ImportedImage[]> {
  return Promise.all(files.map((file) => importOne(socket, file)));
}

async function importOne(socket: string, file: string): Promise<ImportedImage> {
  try {
    const { stdout } = await run(CTR_BIN, ['-a', socket, '-n', 'k8s.io', 'images', 'import', file], { maxBuffer: 16 << 20 });
    return { file, names: parseImported(stdout) };
  } catch (err) {
    const e = err as Error & { stderr?: string };
    const why = (e.stderr ?? '').trim() || e.message;
    throw new Error(`importing ${file} into containerd at ${socket} failed: ${why}`, { cause: err });
  }
}

// ctr prints "unpacking docker.io/library/busybox:1.35 (sha256:…)...done".
function parseImported(stdout: string): string[] {
  const names: string[] = [];
  for (const m of stdout.matchAll(/unpacking (\S+) \(sha256:[0-9a-f]+\)/g)) if (m[1]) names.push(m[1]);
  return names;
}
