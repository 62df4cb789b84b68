// `skiff image import FILE.tar…` and `skiff image ls`: images into and out of
// a node's containerd (the one `skiff server`/`skiff agent` runs), since
// nodes here usually have no registry to pull from.

import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { connectCri } from '../kubelet/cri/cri-client.ts';
import { importImages } from '../kubelet/containerd/import.ts';
import { containerdPaths } from '../kubelet/containerd/containerd-config.ts';
import { parseArgs, stringFlag } from './args.ts';

export const imageUsage = `  skiff image import [--data-dir DIR | --address SOCKET] FILE.tar...
      Import docker/OCI image archives into the node's containerd (namespace k8s.io).
  skiff image ls [--data-dir DIR | --address SOCKET]
      List the images the node's containerd has.
`;

export async function runImage(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const [verb, ...rest] = argv;
  const args = parseArgs(rest);
  if (verb !== 'import' && verb !== 'ls' && verb !== 'list') {
    process.stderr.write(`skiff image: unknown verb ${JSON.stringify(verb ?? '')}\n\nUsage:\n${imageUsage}`);
    return 2;
  }
  const socket = socketOf(args.flags.get('address'), stringFlag(args, 'data-dir', '/var/lib/skiff'));
  await checkReachable(socket);
  if (verb === 'import') {
    if (args.positional.length === 0) throw new Error('skiff image import needs at least one FILE.tar');
    const missing = args.positional.filter((f) => !existsSync(f));
    if (missing.length) throw new Error(`no such file: ${missing.join(', ')}`);
    for (const r of await importImages(socket, args.positional)) out(`imported ${r.names.join(', ') || '(no named images)'} from ${r.file}\n`);
    return 0;
  }
  const cri = await connectCri(socket);
  try {
    const rows = (await cri.listImages()).flatMap((i) => (i.repoTags.length ? i.repoTags : ['<none>:<none>']).map((t) => [t, i.id.replace(/^sha256:/, '').slice(0, 13), humanSize(i.size)]));
    out(table([['IMAGE', 'ID', 'SIZE'], ...rows.sort((a, b) => a[0]!.localeCompare(b[0]!))]));
  } finally {
    cri.close();
  }
  return 0;
}

function socketOf(address: string | true | undefined, dataDir: string): string {
  if (typeof address === 'string') return address.replace(/^unix:\/\//, '');
  return containerdPaths(join(dataDir, 'agent')).socket;
}

function checkReachable(socket: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) =>
      reject(new Error(`no containerd answers at ${socket} (${why}): start \`skiff server\` or \`skiff agent\` with this --data-dir first, or pass --address SOCKET`));
    if (!existsSync(socket)) return fail('no such socket');
    const s = connect(socket);
    s.once('connect', () => {
      s.destroy();
      resolve();
    });
    s.once('error', (e) => fail(e.message));
  });
}

function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes}B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) (v /= 1000), u++;
  return `${v.toFixed(v < 10 ? 1 : 0)}${units[u]}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + 3))).join('') + '\n').join('');
}
