// `skiff sim`: N hollow nodes (fake runtime) in one process, against any
// cluster reachable through a kubeconfig. Pod annotations that script hollow
// containers are described in src/kubelet/runtime/sim-annotations.ts.

import { loadKubeconfig } from '../client/kubeconfig.ts';
import { RestClient } from '../client/rest-client.ts';
import { HollowNodes } from '../kubelet/sim/hollow-nodes.ts';
import { realClock } from '../machinery/clock.ts';
import { numberFlag, parseArgs, stringFlag } from './args.ts';
import { simUsage } from './sim-usage.ts';
import { stopOnSignal } from './signals.ts';

/** Resolves -1: the process keeps running until SIGINT/SIGTERM. */
export async function runSim(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['no-events', 'check-volumes']);
  const kubeconfig = stringFlag(args, 'kubeconfig', process.env['KUBECONFIG'] ?? '');
  if (!kubeconfig) throw new Error('skiff sim needs --kubeconfig FILE');
  const count = numberFlag(args, 'nodes', 1);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--nodes must be a positive integer, got ${count}`);
  const zones = numberFlag(args, 'zones', 0);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const client = new RestClient({ ...loadKubeconfig(kubeconfig), userAgent: 'skiff-sim', maxSockets: 128 });
  const sim = new HollowNodes({
    client,
    clock: realClock,
    log,
    count,
    prefix: stringFlag(args, 'prefix', 'sim-'),
    cpu: stringFlag(args, 'cpu', '32'),
    memory: stringFlag(args, 'memory', '256Gi'),
    pods: numberFlag(args, 'pods', 110),
    zones,
    events: !args.flags.has('no-events'),
    checkVolumes: args.flags.has('check-volumes'),
  });
  const started = performance.now();
  await sim.start();
  process.stdout.write(`skiff sim: ${count} hollow nodes registered and running in ${((performance.now() - started) / 1000).toFixed(2)}s\n`);
  stopOnSignal(log, `stopping ${count} hollow nodes`, () => {
    sim.stop();
    client.close();
  });
  return -1;
}
