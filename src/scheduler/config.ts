// Scheduler configuration: profiles (plugins per extension point, weights, args),
// read from options or a KubeSchedulerConfiguration YAML file.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type PluginRef = { name: string; weight?: number };
export type PluginSet = { enabled?: PluginRef[]; disabled?: PluginRef[] };
export type ExtensionPoint = 'preFilter' | 'filter' | 'postFilter' | 'preScore' | 'score' | 'reserve' | 'permit' | 'preBind' | 'bind' | 'postBind';

export type ProfileConfig = {
  schedulerName: string;
  plugins?: Partial<Record<ExtensionPoint | 'multiPoint', PluginSet>>;
  pluginConfig?: { name: string; args?: Record<string, unknown> }[];
  percentageOfNodesToScore?: number;
};

export type SchedulerOptions = {
  profiles?: ProfileConfig[];
  /** 0 (or absent) means adaptive, as kube-scheduler: 50% minus 1% per 125 nodes, at least 5%. */
  percentageOfNodesToScore?: number;
  /** A KubeSchedulerConfiguration YAML (`--scheduler-config`); its fields fill the ones not given here. */
  configFile?: string;
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
  /** Binds in flight at once (default 16). */
  parallelBinds?: number;
  /** Reported as the event source host. */
  hostname?: string;
};

export const defaultSchedulerName = 'default-scheduler';

/** The default plugins, in filter order, with their default score weights. */
export const defaultPlugins: readonly PluginRef[] = [
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'VolumeBinding' },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

export function defaultProfile(schedulerName = defaultSchedulerName): ProfileConfig {
  return { schedulerName };
}

type FileConfig = {
  kind?: string;
  profiles?: ProfileConfig[];
  percentageOfNodesToScore?: number;
  podInitialBackoffSeconds?: number;
  podMaxBackoffSeconds?: number;
};

/** Options with the config file merged in and defaults applied. */
export function resolveOptions(opts: SchedulerOptions = {}): SchedulerOptions & { profiles: ProfileConfig[] } {
  let file: FileConfig = {};
  if (opts.configFile) {
    const parsed = parse(readFileSync(opts.configFile, 'utf8')) as FileConfig | null;
    if (parsed && parsed.kind !== undefined && parsed.kind !== 'KubeSchedulerConfiguration') {
      throw new Error(`${opts.configFile}: kind is ${parsed.kind}, want KubeSchedulerConfiguration`);
    }
    file = parsed ?? {};
  }
  const profiles = (opts.profiles ?? file.profiles ?? [defaultProfile()]).map((p) => ({ ...p, schedulerName: p.schedulerName || defaultSchedulerName }));
  const names = new Set<string>();
  for (const p of profiles) {
    if (names.has(p.schedulerName)) throw new Error(`duplicate profile for scheduler name ${JSON.stringify(p.schedulerName)}`);
    names.add(p.schedulerName);
  }
  const pct = opts.percentageOfNodesToScore ?? file.percentageOfNodesToScore;
  const initial = opts.podInitialBackoffSeconds ?? file.podInitialBackoffSeconds;
  const max = opts.podMaxBackoffSeconds ?? file.podMaxBackoffSeconds;
  return {
    ...opts,
    profiles,
    ...(pct !== undefined ? { percentageOfNodesToScore: pct } : {}),
    ...(initial !== undefined ? { podInitialBackoffSeconds: initial } : {}),
    ...(max !== undefined ? { podMaxBackoffSeconds: max } : {}),
  };
}
