// The termination message: a host file mounted at terminationMessagePath that
// the container may write before it exits; after the exit its content (or,
// with FallbackToLogsOnError, the tail of a failed container's log) becomes
// the terminated state's message.

import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerStatus as RuntimeContainerStatus, Mount } from '../runtime/runtime.ts';
import type { ContainerSpec, Pod } from '../types.ts';

export const terminationAnnotations = {
  path: 'io.kubernetes.container.terminationMessagePath',
  policy: 'io.kubernetes.container.terminationMessagePolicy',
  /** Where the kubelet reads the message back; our own key. */
  hostPath: 'io.skiff.container.terminationMessageHostPath',
} as const;

const maxMessageBytes = 4096;
const maxLogBytes = 2048;
const maxLogLines = 80;

export const defaultTerminationMessagePath = '/dev/termination-log';

/** Creates an empty, world-writable file (non-root containers must write it) and its mount. */
export function prepareTerminationMessage(rootDir: string, pod: Pod, c: ContainerSpec): { mount: Mount; hostPath: string } | undefined {
  const path = c.terminationMessagePath ?? defaultTerminationMessagePath;
  if (!path) return undefined;
  const dir = join(rootDir, 'pods', pod.metadata.uid ?? '', 'containers', c.name);
  mkdirSync(dir, { recursive: true });
  // A fresh name per attempt: the previous attempt's message must survive for lastState.
  const hostPath = join(dir, randomBytes(4).toString('hex'));
  writeFileSync(hostPath, '');
  chmodSync(hostPath, 0o666);
  return { mount: { containerPath: path, hostPath }, hostPath };
}

/** Deletes one runtime container's message file: call when removing the container. */
export async function removeTerminationMessage(status: { annotations: Record<string, string> }): Promise<void> {
  const hostPath = status.annotations[terminationAnnotations.hostPath];
  if (hostPath) await rm(hostPath, { force: true });
}

/** Deletes every message file of a pod (pods/<uid>/containers): call once its containers are gone. */
export async function removePodTerminationMessages(rootDir: string, podUid: string): Promise<void> {
  if (!podUid) return;
  await rm(join(rootDir, 'pods', podUid, 'containers'), { recursive: true, force: true });
}

/** The message for an exited container, from the file whose path the kubelet put in its annotations. */
export async function readTerminationMessage(_pod: Pod, c: ContainerSpec, status: RuntimeContainerStatus): Promise<string> {
  const hostPath = status.annotations[terminationAnnotations.hostPath];
  let message = hostPath ? await readHead(hostPath, maxMessageBytes) : '';
  const policy = status.annotations[terminationAnnotations.policy] ?? c.terminationMessagePolicy;
  const fallback = policy === 'FallbackToLogsOnError';
  if (!message && fallback && status.exitCode !== 0 && status.logPath) message = await tailCriLog(status.logPath, maxLogLines, maxLogBytes);
  return message;
}

async function readHead(path: string, max: number): Promise<string> {
  try {
    const f = await open(path, 'r');
    try {
      const buf = Buffer.alloc(max);
      const { bytesRead } = await f.read(buf, 0, max, 0);
      return buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await f.close();
    }
  } catch {
    // Gone with the pod directory, or never created: no message.
    return '';
  }
}

/** The last lines of a CRI-format log (`<time> <stream> <P|F> <text>`), partial lines joined. */
export async function tailCriLog(path: string, lines: number, maxBytes: number): Promise<string> {
  let text: string;
  try {
    const f = await open(path, 'r');
    try {
      const { size } = await f.stat();
      // Enough of the file's end for the wanted lines, bounded so a huge log costs little.
      const want = Math.min(size, 256 * 1024);
      const buf = Buffer.alloc(want);
      await f.read(buf, 0, want, size - want);
      text = buf.toString('utf8');
    } finally {
      await f.close();
    }
  } catch {
    return '';
  }
  const out: string[] = [];
  let partial = '';
  for (const raw of text.split('\n')) {
    const m = /^\S+ (?:stdout|stderr) ([PF]) ?(.*)$/.exec(raw);
    if (!m) continue;
    partial += m[2] ?? '';
    if (m[1] === 'F') {
      out.push(partial);
      partial = '';
    }
  }
  if (partial) out.push(partial);
  const joined = out.slice(-lines).join('\n') + (out.length > 0 ? '\n' : '');
  const b = Buffer.from(joined, 'utf8');
  return b.length > maxBytes ? b.subarray(b.length - maxBytes).toString('utf8') : joined;
}
