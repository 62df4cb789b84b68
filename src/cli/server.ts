// `skiff server`: start the control plane and keep it running until signalled.

import { resolve } from 'node:path';
import { startControlPlane } from '../server/control-plane.ts';
import { numberFlag, parseArgs, stringFlag } from './args.ts';

/** Resolves -1: the process keeps running until SIGINT/SIGTERM. */
export async function runServer(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['disable-agent']);
  const dataDir = resolve(stringFlag(args, 'data-dir', '/var/lib/skiff'));
  const port = numberFlag(args, 'port', 6443);
  const bind = stringFlag(args, 'bind', '127.0.0.1');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!args.flags.has('disable-agent')) {
    log('note: the node agent (kubelet and proxy) is not part of this build yet; running the control plane only');
  }
  const cp = await startControlPlane({ dataDir, port, bind, log });
  process.stdout.write(
    `skiff is running.\n  kubeconfig: ${cp.kubeconfigPath}\n  try: kubectl --kubeconfig ${cp.kubeconfigPath} get namespaces\n`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    cp.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return -1;
}
