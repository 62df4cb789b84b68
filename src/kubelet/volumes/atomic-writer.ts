// Writes a volume's files so a running container never sees a half-updated set,
// in the layout the kubelet's AtomicWriter uses:
//   <dir>/..<timestamp>/…          the files of one version
//   <dir>/..data -> ..<timestamp>  swapped with one rename
//   <dir>/<name> -> ..data/<name>  one link per top-level entry, stable across versions

import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isRoot } from './mount-table.ts';
import { VolumeProblem } from './volume-set-up-error.ts';

export type FileProjection = { data: Buffer; mode: number };
/** Relative path (no `..`, not absolute) → contents and mode. */
export type Payload = Map<string, FileProjection>;

const dataLink = '..data';

/** Rejects paths that could escape the volume; returns the cleaned path. */
export function checkPayloadPath(path: string): string {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (path.startsWith('/') || parts.length === 0) throw new VolumeProblem(`invalid path ${JSON.stringify(path)}: must be a relative path`);
  if (parts.some((p) => p === '..')) throw new VolumeProblem(`invalid path ${JSON.stringify(path)}: must not contain '..'`);
  if (parts[0]!.startsWith('..')) throw new VolumeProblem(`invalid path ${JSON.stringify(path)}: must not start with '..'`);
  return parts.join('/');
}

/**
 * Writes `payload` into `dir` if it differs from what is there; true when it wrote.
 * With `fsGroup` (the pod's securityContext.fsGroup), files belong to that group
 * and are group-readable, as the kubelet sets up volume ownership.
 */
export function writeAtomically(dir: string, files: Payload, fsGroup?: number): boolean {
  const payload = fsGroup === undefined ? files : new Map([...files].map(([p, f]) => [p, { data: f.data, mode: f.mode | 0o440 }]));
  const own = (path: string, dirMode?: number): void => {
    if (fsGroup === undefined || !isRoot()) return; // only root may give files away
    chownSync(path, -1, fsGroup);
    if (dirMode !== undefined) chmodSync(path, dirMode | 0o2550);
  };
  mkdirSync(dir, { recursive: true });
  own(dir, 0o755);
  const current = readCurrent(dir);
  if (current !== undefined && samePayload(join(dir, current), payload)) return false;

  const stamp = new Date().toISOString().replace(/[-:]/g, '_').replace('T', '_').replace('Z', '');
  const versionDir = mkdtempSync(join(dir, `..${stamp}.`));
  chmodSync(versionDir, 0o755);
  try {
    own(versionDir, 0o755);
    for (const [path, file] of payload) {
      const target = join(versionDir, path);
      const missing: string[] = [];
      for (let d = dirname(target); d !== versionDir && !existsSync(d); d = dirname(d)) missing.unshift(d);
      for (const d of missing) {
        mkdirSync(d);
        own(d, 0o755);
      }
      writeFileSync(target, file.data);
      own(target);
      chmodSync(target, file.mode); // explicit: writeFile's mode is masked by the umask
    }
  } catch (e) {
    rmSync(versionDir, { recursive: true, force: true }); // the current version stays as it was
    throw e;
  }
  const tmpLink = join(dir, `${dataLink}_tmp`);
  rmSync(tmpLink, { force: true });
  symlinkSync(versionDir.slice(dir.length + 1), tmpLink);
  renameSync(tmpLink, join(dir, dataLink));

  const names = new Set([...payload.keys()].map((p) => p.split('/')[0]!));
  for (const name of names) {
    const link = join(dir, name);
    if (!isSymlink(link)) {
      rmSync(link, { recursive: true, force: true });
      symlinkSync(join(dataLink, name), link);
    }
  }
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('..') || names.has(entry)) continue;
    if (isSymlink(join(dir, entry))) unlinkSync(join(dir, entry));
  }
  if (current !== undefined) rmSync(join(dir, current), { recursive: true, force: true });
  return true;
}

function readCurrent(dir: string): string | undefined {
  try {
    return readlinkSync(join(dir, dataLink));
  } catch {
    return undefined;
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function samePayload(versionDir: string, payload: Payload): boolean {
  try {
    if (listFiles(versionDir, '').length !== payload.size) return false;
    for (const [path, file] of payload) {
      const p = join(versionDir, path);
      if ((statSync(p).mode & 0o7777) !== file.mode) return false;
      if (!readFileSync(p).equals(file.data)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

function listFiles(dir: string, prefix: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(join(dir, e.name), rel));
    else out.push(rel);
  }
  return out;
}
