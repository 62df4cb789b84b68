// `skiff scheduler` and `skiff controller-manager`: one control-plane component
// in its own process, against any API server named by a kubeconfig.

import { loadKubeconfig } from '../client/kubeconfig.ts';
import { realClock } from '../machinery/clock.ts';
import { runControllerManager, runScheduler, type Running } from '../server/components.ts';
import { parseArgs, stringFlag } from './args.ts';
import { controllerFlags } from './server.ts';
import { componentsUsage } from './components-usage.ts';
import { stopOnSignal } from './signals.ts';

export async function runComponent(which: 'scheduler' | 'controller-manager', argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['help']);
  if (args.flags.has('help') || argv.includes('-h')) {
    process.stdout.write(componentsUsage);
    return 0;
  }
  const kubeconfig = stringFlag(args, 'kubeconfig', process.env['KUBECONFIG'] ?? '');
  if (!kubeconfig) throw new Error(`skiff ${which} needs --kubeconfig FILE (or KUBECONFIG) naming the API server`);
  const cfg = loadKubeconfig(kubeconfig);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const opts = { server: cfg.server, ...(cfg.token ? { token: cfg.token } : {}), clock: realClock, log, leaderElect: stringFlag(args, 'leader-elect', 'true') !== 'false' };
  let running: Running;
  if (which === 'scheduler') {
    const config = args.flags.get('scheduler-config');
    running = await runScheduler(opts, typeof config === 'string' ? { configFile: config } : {});
  } else {
    const only = args.flags.get('controllers');
    running = await runControllerManager(opts, controllerFlags(args), typeof only === 'string' ? only.split(',').map((s) => s.trim()) : undefined);
  }
  log(`skiff ${which} is running against ${cfg.server}`);
  stopOnSignal(log, `stopping skiff ${which}`, () => running.stop());
  return -1;
}
