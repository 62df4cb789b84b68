// Images a node imports at start, k3s style: the test/sandbox images built
// from this repo (scripts/build-images.sh) and every tar in D/agent/images.
// A stamp remembers what was imported into which containerd, so a restart
// does not import the same archives again.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importImages } from '../kubelet/containerd/import.ts';
import type { ImageService } from '../kubelet/runtime/runtime.ts';
import { DEFAULT_SANDBOX_IMAGE } from '../kubelet/containerd/containerd.ts';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const builtImagesDir = join(repoRoot, 'build/images');

function tars(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.tar'))
      .sort()
      .map((n) => join(dir, n));
  } catch {
    return [];
  }
}

/** Builds the repo's images when the sandbox image's archive is missing (offline: busybox-static, umoci, skopeo). */
export function ensureBuiltImages(log: (line: string) => void): void {
  if (existsSync(join(builtImagesDir, 'pause.tar'))) return;
  const script = join(repoRoot, 'scripts/build-images.sh');
  if (!existsSync(script)) return;
  log(`building the sandbox and busybox images with ${script}`);
  const r = spawnSync('sh', [script, builtImagesDir], { encoding: 'utf8' });
  if (r.status !== 0) log(`building images failed (pods will wait for ${DEFAULT_SANDBOX_IMAGE}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
}

/** Imports the archives not yet imported into this runtime; returns how many were imported. */
export async function importNodeImages(opts: {
  socket: string;
  agentDir: string;
  images: ImageService;
  extraDirs?: string[];
  log: (line: string) => void;
}): Promise<number> {
  const files = [...(opts.extraDirs ?? [builtImagesDir]).flatMap(tars), ...tars(join(opts.agentDir, 'images'))];
  const stampFile = join(opts.agentDir, 'images-imported.json');
  let stamp: Record<string, string> = {};
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as Record<string, string>;
  } catch {
    stamp = {};
  }
  // An archive counts as imported when unchanged and the runtime still holds the sandbox image (a wiped root has none).
  const sandboxPresent = (await opts.images.imageStatus(DEFAULT_SANDBOX_IMAGE).catch(() => undefined)) !== undefined;
  const sig = (f: string) => {
    const s = statSync(f);
    return `${opts.socket}:${s.size}:${s.mtimeMs}`;
  };
  const todo = files.filter((f) => !sandboxPresent || stamp[f] !== sig(f));
  if (todo.length === 0) return 0;
  const done = await importImages(opts.socket, todo);
  for (const d of done) {
    stamp[d.file] = sig(d.file);
    opts.log(`imported ${d.file}${d.names.length ? ` (${d.names.join(', ')})` : ''}`);
  }
  mkdirSync(opts.agentDir, { recursive: true });
  writeFileSync(stampFile, JSON.stringify(stamp, null, 1));
  return done.length;
}
