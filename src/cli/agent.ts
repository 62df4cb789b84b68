// `skiff agent`: make this machine a node of the cluster at --server.

import { resolve } from 'node:path';
import type { AgentOptions } from '../server/agent.ts';
import { hasKey, setKey } from '../machinery/own-keys.ts';
import { parseQuantity } from '../machinery/quantity.ts';
import { durationFlag, numberFlag, parseArgs, stringFlag, type ParsedArgs } from './args.ts';
import { exitOnSignalWhileStarting, stopOnSignal } from './signals.ts';

export const agentFlagsUsage = `  --node-name NAME                   this node's name (default: the hostname)
  --node-ip IP                       InternalIP the API server reaches the kubelet on (default: first non-loopback IPv4)
  --kubelet-port PORT                kubelet API port (default 10250; 0 picks a free one)
  --container-runtime-endpoint URL   use this CRI runtime (unix:///…) instead of starting containerd
  --cni-bridge NAME                  the pod bridge (default skiff0)
  --insecure-registry HOST:PORT      pull from this registry over plain http (repeatable)
  --registry-mirror REGISTRY=URL     try this mirror before REGISTRY, e.g. docker.io=http://127.0.0.1:5000 (repeatable)
  --node-label KEY=VALUE             an extra label on this node (repeatable)
  --container-log-max-size SIZE      rotate a container's log when it reaches SIZE (default 10Mi)
  --container-log-max-files N        log files kept per container, the current one included (default 5, at least 2)
  --container-log-monitor-interval D how often logs are checked for rotation (default 10s)
`;

export const agentUsage = `skiff agent --server URL --token TOKEN [flags]
  --server URL                       the API server (e.g. http://10.0.0.1:6443)
  --token TOKEN                      the cluster token (the server's DATA-DIR/server/token)
  --data-dir DIR                     node state: containerd, pods, logs (default /var/lib/skiff)
${agentFlagsUsage}`;

/** Every value of a flag given several times (`--x a --x b`) or comma-separated. */
export function repeatedFlag(argv: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${name}` && i + 1 < argv.length) out.push(argv[++i]!);
    else if (a.startsWith(`--${name}=`)) out.push(a.slice(name.length + 3));
  }
  return out.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** The node flags shared by `skiff agent` and `skiff server`. */
export function agentNodeFlags(args: ParsedArgs, argv: readonly string[]): Omit<AgentOptions, 'server' | 'token' | 'dataDir' | 'log'> {
  const o: Omit<AgentOptions, 'server' | 'token' | 'dataDir' | 'log'> = {};
  const name = args.flags.get('node-name');
  if (typeof name === 'string') {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) throw new Error(`--node-name ${JSON.stringify(name)} is not a valid node name: use lower-case letters, digits, '-' and '.'`);
    o.nodeName = name;
  }
  const ip = args.flags.get('node-ip');
  if (typeof ip === 'string') o.nodeIP = ip;
  if (args.flags.has('kubelet-port')) {
    const port = numberFlag(args, 'kubelet-port', 10250);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--kubelet-port must be a port number (0 for a free one), got ${port}`);
    o.kubeletPort = port;
  }
  const cre = args.flags.get('container-runtime-endpoint');
  if (typeof cre === 'string') o.containerRuntimeEndpoint = cre.startsWith('/') ? `unix://${cre}` : cre;
  const bridge = args.flags.get('cni-bridge');
  if (typeof bridge === 'string') {
    if (!/^[a-zA-Z0-9_.-]{1,15}$/.test(bridge)) throw new Error(`--cni-bridge ${JSON.stringify(bridge)} is not a valid interface name (1-15 letters, digits, _ . -)`);
    o.cniBridge = bridge;
  }
  const reg = repeatedFlag(argv, 'insecure-registry');
  if (reg.length) o.insecureRegistries = reg;
  const mirrors: Record<string, string[]> = {};
  for (const m of repeatedFlag(argv, 'registry-mirror')) {
    const eq = m.indexOf('=');
    if (eq <= 0 || eq === m.length - 1) throw new Error(`--registry-mirror ${JSON.stringify(m)}: expected REGISTRY=URL, e.g. docker.io=http://127.0.0.1:5000`);
    const host = m.slice(0, eq);
    if (!hasKey(mirrors, host)) setKey(mirrors, host, []);
    mirrors[host]!.push(m.slice(eq + 1));
  }
  if (Object.keys(mirrors).length) o.mirrors = mirrors;
  const labels: Record<string, string> = {};
  for (const l of repeatedFlag(argv, 'node-label')) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new Error(`--node-label ${JSON.stringify(l)}: expected KEY=VALUE`);
    setKey(labels, l.slice(0, eq), l.slice(eq + 1));
  }
  if (Object.keys(labels).length) o.labels = labels;
  const logSize = args.flags.get('container-log-max-size');
  if (typeof logSize === 'string') {
    let bytes: number;
    try {
      bytes = parseQuantity(logSize).value();
    } catch {
      bytes = NaN;
    }
    if (!(bytes > 0)) throw new Error(`--container-log-max-size ${JSON.stringify(logSize)} must be a positive size such as 10Mi`);
    o.containerLogs = { ...o.containerLogs, maxBytes: bytes };
  }
  if (args.flags.has('container-log-max-files')) {
    const files = numberFlag(args, 'container-log-max-files', 5);
    if (!Number.isInteger(files) || files < 2) throw new Error(`--container-log-max-files must be an integer of at least 2, got ${files}`);
    o.containerLogs = { ...o.containerLogs, maxFiles: files };
  }
  const every = durationFlag(args, 'container-log-monitor-interval');
  if (every !== undefined) {
    if (!(every > 0)) throw new Error('--container-log-monitor-interval must be a positive duration such as 10s');
    o.containerLogs = { ...o.containerLogs, periodMs: every };
  }
  return o;
}

/** Resolves -1: the process keeps running until SIGINT/SIGTERM. */
export async function runAgent(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['help']);
  if (args.flags.has('help') || argv.includes('-h')) {
    process.stdout.write(agentUsage);
    return 0;
  }
  const server = stringFlag(args, 'server', '');
  const token = stringFlag(args, 'token', process.env['SKIFF_TOKEN'] ?? '');
  if (!server || !token) {
    process.stderr.write(`skiff agent needs --server URL and --token TOKEN (the server's DATA-DIR/server/token)\n\n${agentUsage}`);
    return 2;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const disarm = exitOnSignalWhileStarting(log);
  const { startAgent } = await import('../server/agent.ts');
  const agent = await startAgent({
    server: server.replace(/\/+$/, ''),
    token,
    dataDir: resolve(stringFlag(args, 'data-dir', '/var/lib/skiff')),
    log,
    ...agentNodeFlags(args, argv),
  });
  process.stdout.write(`skiff agent is running: node ${agent.nodeName}, kubelet port ${agent.kubeletPort}\n`);
  disarm();
  stopOnSignal(log, 'stopping the agent (pods keep running)', () => agent.stop());
  return -1;
}
