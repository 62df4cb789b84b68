// `skiff server`: start the control plane and keep it running until signalled.

import { flushCompileCache } from 'node:module';
import { join, resolve } from 'node:path';
import { startControlPlane } from '../server/control-plane.ts';
import { openStorage, parseEndpoints } from '../server/storage.ts';
import type { ControllerManagerOptions } from '../controllers/types.ts';
import { durationFlag, numberFlag, parseArgs, stringFlag } from './args.ts';
import { agentFlagsUsage, agentNodeFlags } from './agent.ts';
import { exitOnSignalWhileStarting, stopOnSignal } from './signals.ts';

export const serverUsage = `skiff server [flags]
  --data-dir DIR                     state, kubeconfig (default /var/lib/skiff)
  --port PORT                        API port (default 6443; 0 picks a free one)
  --bind ADDR                        API address (default 127.0.0.1)
  --disable-agent                    run no node in this process
  --store sqlite|etcd                where cluster state lives (default sqlite, under --data-dir)
  --etcd-endpoints URL[,URL...]      etcd members' client URLs, for --store etcd
  --disable-scheduler                do not run the scheduler
  --disable-controller-manager       do not run the controllers
  --controllers a,b,...              run only these controllers
  --scheduler-config FILE            KubeSchedulerConfiguration YAML
  --leader-elect=false               skip leader election (one server only)
  --component-threads shared|separate  the scheduler and the controller manager on one worker thread
                                     (default: shared, less memory) or one each (faster on a busy cluster)
  --cluster-cidr CIDR                pod network for node IPAM (default 10.42.0.0/16)
  --node-monitor-grace-period DUR    a silent node becomes Unknown after this (default 40s)
  --node-eviction-rate N             node evictions per second (default 0.1)
  --event-ttl DUR                    how long Events are kept (default 1h)
  --node-monitor-period DUR          how often node health is checked (default 5s)
  --secondary-node-eviction-rate N   eviction rate in a largely failed zone (default 0.01)
  --large-cluster-size-threshold N   zones up to this size stop evicting when largely failed (default 50)
  --unhealthy-zone-threshold F       share of failed nodes making a zone unhealthy (default 0.55)
  --terminated-pod-gc-threshold N    terminated pods kept before pod GC (default 12500)
  --default-not-ready-toleration-seconds N    added to every pod (default 300)
  --default-unreachable-toleration-seconds N  added to every pod (default 300)
The local node's agent (unless --disable-agent):
${agentFlagsUsage}`;

/** Controller manager flags, as kube-controller-manager spells them. */
export function controllerFlags(args: ReturnType<typeof parseArgs>): Partial<ControllerManagerOptions> {
  const o: Partial<ControllerManagerOptions> = {};
  const cidr = args.flags.get('cluster-cidr');
  if (typeof cidr === 'string') o.clusterCIDR = cidr;
  const grace = durationFlag(args, 'node-monitor-grace-period');
  if (grace !== undefined) o.nodeMonitorGracePeriodMs = grace;
  if (args.flags.has('node-eviction-rate')) o.nodeEvictionRate = numberFlag(args, 'node-eviction-rate', 0.1);
  const ttl = durationFlag(args, 'event-ttl');
  if (ttl !== undefined) o.eventTTLMs = ttl;
  const period = durationFlag(args, 'node-monitor-period');
  if (period !== undefined) o.nodeMonitorPeriodMs = period;
  if (args.flags.has('secondary-node-eviction-rate')) o.secondaryNodeEvictionRate = numberFlag(args, 'secondary-node-eviction-rate', 0.01);
  if (args.flags.has('large-cluster-size-threshold')) o.largeClusterSizeThreshold = numberFlag(args, 'large-cluster-size-threshold', 50);
  if (args.flags.has('unhealthy-zone-threshold')) o.unhealthyZoneThreshold = numberFlag(args, 'unhealthy-zone-threshold', 0.55);
  if (args.flags.has('terminated-pod-gc-threshold')) o.terminatedPodGCThreshold = numberFlag(args, 'terminated-pod-gc-threshold', 12_500);
  if (args.flags.has('concurrent-syncs')) o.concurrentSyncs = numberFlag(args, 'concurrent-syncs', 5);
  return o;
}

function componentThreadsFlag(v: string): 'shared' | 'separate' {
  if (v === 'shared' || v === 'separate') return v;
  throw new Error(`--component-threads must be shared or separate, got ${JSON.stringify(v)}`);
}

/** Resolves -1: the process keeps running until SIGINT/SIGTERM. */
export async function runServer(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['disable-agent', 'disable-scheduler', 'disable-controller-manager', 'help']);
  if (args.flags.has('help') || argv.includes('-h')) {
    process.stdout.write(serverUsage);
    return 0;
  }
  const dataDir = resolve(stringFlag(args, 'data-dir', '/var/lib/skiff'));
  const port = numberFlag(args, 'port', 6443);
  const bind = stringFlag(args, 'bind', '127.0.0.1');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const agent = args.flags.has('disable-agent') ? undefined : agentNodeFlags(args, argv);
  const store = stringFlag(args, 'store', 'sqlite');
  if (store !== 'sqlite' && store !== 'etcd') throw new Error(`--store must be sqlite or etcd, got ${JSON.stringify(store)}`);
  const etcdEndpoints = parseEndpoints(stringFlag(args, 'etcd-endpoints', ''));
  const schedulerConfig = args.flags.get('scheduler-config');
  const only = args.flags.get('controllers');
  const disarm = exitOnSignalWhileStarting(log);
  const cp = await startControlPlane({
    dataDir,
    port,
    bind,
    log,
    ...(store === 'etcd' ? { openStorage: () => openStorage({ store, dataDir, etcdEndpoints, log }) } : {}),
    leaderElect: stringFlag(args, 'leader-elect', 'true') !== 'false',
    componentThreads: componentThreadsFlag(stringFlag(args, 'component-threads', 'shared')),
    ...(agent ? { agent } : {}),
    defaultTolerationSeconds: {
      notReady: numberFlag(args, 'default-not-ready-toleration-seconds', 300),
      unreachable: numberFlag(args, 'default-unreachable-toleration-seconds', 300),
    },
    scheduler: args.flags.has('disable-scheduler') ? false : typeof schedulerConfig === 'string' ? { configFile: resolve(schedulerConfig) } : {},
    controllerManager: args.flags.has('disable-controller-manager')
      ? false
      : { options: controllerFlags(args), ...(typeof only === 'string' ? { only: only.split(',').map((s) => s.trim()) } : {}) },
  }).catch((e: unknown) => {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new Error(`port ${port} on ${bind} is already in use: stop the other server or pick another with --port`);
    throw e;
  });
  // Save the compiled modules now, not at exit: a server killed hard still leaves them for the next start.
  flushCompileCache();
  process.stdout.write(
    `skiff is running.\n  kubeconfig: ${cp.kubeconfigPath}\n  token: ${join(dataDir, 'server/token')}\n${cp.agent ? `  node: ${cp.agent.nodeName} (kubelet port ${cp.agent.kubeletPort})\n` : ''}  try: kubectl --kubeconfig ${cp.kubeconfigPath} get namespaces\n`,
  );
  disarm();
  stopOnSignal(log, 'stopping', () => cp.stop());
  return -1;
}
