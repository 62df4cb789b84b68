// End-to-end harness for real nodes: `skiff server` WITH its agent (containerd,
// kubelet) on a free API port and a free kubelet port, its own CNI bridge and
// cluster CIDR (a slot reserved under /tmp so concurrent test processes never
// share one), waited on until the node is Ready. stop() stops the server,
// removes every pod sandbox it left (the shims outlive the agent, as on a
// real node), and checks that no veth, mount or shim is left behind.

import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connectCri } from '../../src/kubelet/cri/cri-client.ts';
import { containerdMissing, startContainerd } from '../../src/kubelet/containerd/containerd.ts';
import { unmountUnder } from '../../src/kubelet/containerd/testing/test-containerd.ts';
import { kubectlAvailable, makeKubectl, poll, skiffBin, type RunningServer } from './harness.ts';

const run = promisify(execFile);

export type StartNodeOptions = {
  /** More `skiff server` flags. */
  args?: string[];
  nodeName?: string;
  /** Wait this long for the node to be Ready; default 60 s. */
  timeoutMs?: number;
};

export type RunningNode = {
  server: RunningServer;
  kubectl: ReturnType<typeof makeKubectl>;
  dataDir: string;
  nodeName: string;
  /** The node's CNI bridge; a second node (skiff agent) should use `${bridge}b`. */
  bridge: string;
  /** The cluster CIDR handed to node IPAM (a /22: four nodes). */
  clusterCIDR: string;
  /** Cluster token (DATA-DIR/server/token), for `skiff agent --token`. */
  token: string;
  /**
   * Stops `skiff server` (SIGTERM, or SIGKILL with kill9: nothing gets to clean up) and starts it again
   * on the same data dir, bridge and cluster CIDR, waiting for the node to be Ready. Pods keep running
   * in between, as on a real node. `between` runs while it is down.
   */
  restart(opts?: { kill9?: boolean; between?: () => Promise<void> }): Promise<void>;
  /**
   * Force-deletes every pod of the default namespace and waits until the
   * kubelet has removed their sandboxes. Stopping the node in the middle of a teardown stops containerd
   * under it, which can strand a shim and its network.
   */
  removeAllPods(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
};

/** Why real-node e2e tests cannot run here, or undefined when they can. */
export function nodeSkipReason(): string | undefined {
  const why = containerdMissing();
  if (why) return why;
  if (!kubectlAvailable()) return 'kubectl not found on PATH';
  if (spawnSync('ip', ['-V']).status !== 0) return 'the ip command (iproute2) is missing';
  return undefined;
}

const slotDir = '/tmp/skiff-e2e-slots';

/** Reserves a network slot (bridge name + CIDR) no live process holds. */
function reserveSlot(): { slot: number; release(): void } {
  mkdirSync(slotDir, { recursive: true });
  for (let slot = 0; slot < 256; slot++) {
    const file = join(slotDir, String(slot));
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { slot, release: () => rmSync(file, { force: true }) };
    } catch {
      // Taken; reclaim it when its holder is gone.
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && !existsSync(`/proc/${pid}`)) rmSync(file, { force: true });
    }
  }
  throw new Error(`no free e2e network slot in ${slotDir}: remove stale files there`);
}

async function nodeReady(url: string, name: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/api/v1/nodes/${name}`);
    if (!r.ok) return false;
    const node = (await r.json()) as { status?: { conditions?: { type: string; status: string }[] } };
    return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  } catch {
    return false;
  }
}

export async function startNode(opts: StartNodeOptions = {}): Promise<RunningNode> {
  const { slot, release } = reserveSlot();
  const bridge = `skt${slot}`;
  const clusterCIDR = `10.${192 + (slot >> 6)}.${(slot & 63) * 4}.0/22`;
  const nodeName = opts.nodeName ?? `e2e-node-${slot}`;
  // Short: containerd's socket path must stay under 108 bytes.
  const dataDir = mkdtempSync('/tmp/skn-');
  const args = ['server', '--data-dir', dataDir, '--port', '0', '--kubelet-port', '0', '--node-name', nodeName, '--cni-bridge', bridge, '--cluster-cidr', clusterCIDR, '--leader-elect=false', ...(opts.args ?? [])];
  let child: ChildProcess;
  let out = '';
  const spawnServer = () => {
    child = spawn(skiffBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    return child;
  };
  const stopServer = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', () => {
        clearTimeout(kill);
        done();
      });
      child.kill(signal);
    });
  const kubeconfig = join(dataDir, 'kubeconfig.yaml');
  const server: RunningServer = { dataDir, kubeconfig, url: '', process: spawnServer(), output: () => out, stop: stopServer };
  const teardown = async (): Promise<string[]> => {
    await stopServer();
    const left = await cleanNode(dataDir, bridge);
    rmSync(dataDir, { recursive: true, force: true });
    release();
    return left;
  };
  const waitReady = async (timeoutMs: number, from: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`skiff server exited with ${child.exitCode}:\n${out.slice(from)}`);
      if (out.indexOf('skiff is running', from) >= 0 && existsSync(kubeconfig)) break;
      if (Date.now() > deadline) throw new Error(`skiff server with its agent did not start in time:\n${out.slice(from)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    server.url = /server: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))![1]!;
    while (!(await nodeReady(server.url, nodeName))) {
      if (Date.now() > deadline) throw new Error(`node ${nodeName} did not become Ready in time:\n${out.slice(from)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    await waitReady(opts.timeoutMs ?? 60_000, 0);
  } catch (e) {
    await teardown().catch(() => undefined);
    throw e;
  }
  const token = readFileSync(join(dataDir, 'server/token'), 'utf8').trim();
  const kubectl = makeKubectl(server);
  return {
    server,
    kubectl,
    dataDir,
    nodeName,
    bridge,
    clusterCIDR,
    token,
    async restart(r = {}) {
      await stopServer(r.kill9 ? 'SIGKILL' : 'SIGTERM');
      // The kubeconfig is written anew; waiting for it tells the new server is up.
      rmSync(kubeconfig, { force: true });
      await r.between?.();
      rmSync(kubeconfig, { force: true });
      const from = out.length;
      server.process = spawnServer();
      await waitReady(opts.timeoutMs ?? 60_000, from);
    },
    async removeAllPods(timeoutMs = 60_000) {
      kubectl(['delete', 'pods', '--all', '--grace-period=0', '--force', '--wait=false']);
      const cri = await connectCri(`unix://${join(dataDir, 'agent/containerd/containerd.sock')}`);
      try {
        await poll('the kubelet to remove every pod sandbox', async () => (await cri.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.namespace': 'default' } })).length === 0, { timeoutMs, intervalMs: 250, retryErrors: true, output: () => out });
      } finally {
        cri.close();
      }
    },
    async stop() {
      const left = await teardown();
      if (left.length) throw new Error(`node ${nodeName} left things behind (now removed):\n  ${left.join('\n  ')}`);
    },
  };
}

/**
 * After the agent has stopped: start its containerd once more to remove every
 * sandbox through CRI (which tears the pod network down), then stop it, and
 * report what was still there (shims, veths, mounts) before removing it.
 */
export async function cleanNode(dataDir: string, bridge: string): Promise<string[]> {
  const agentDir = join(dataDir, 'agent');
  const left: string[] = [];
  if (existsSync(join(agentDir, 'containerd/config.toml'))) {
    const containerd = await startContainerd({ dataDir: agentDir, log: () => undefined, cniBridge: bridge }).catch(() => undefined);
    if (containerd) {
      const cri = await connectCri(containerd.endpoint).catch(() => undefined);
      for (const sb of (await cri?.listPodSandbox().catch(() => [])) ?? []) {
        await cri!.stopPodSandbox(sb.id).catch(() => undefined);
        await cri!.removePodSandbox(sb.id).catch(() => undefined);
      }
      cri?.close();
      await containerd.stop();
    }
  }
  const socket = join(agentDir, 'containerd/containerd.sock');
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    if (cmd.includes('containerd-shim') && cmd.includes(socket)) {
      left.push(`shim ${pid}: ${cmd.trim()}`);
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  const veths = spawnSync('ip', ['-o', 'link', 'show', 'master', bridge], { encoding: 'utf8' }).stdout.trim();
  if (veths) left.push(`veths on ${bridge}: ${veths.split('\n').map((l) => l.split(':')[1]?.trim()).join(', ')}`);
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p.startsWith(dataDir + '/'));
  // containerd's own shm/rootfs mounts of removed sandboxes are gone by now; anything else is a leak.
  if (mounts.length) left.push(`mounts under ${dataDir}: ${mounts.join(', ')}`);
  await unmountUnder(dataDir);
  await run('ip', ['link', 'del', bridge]).catch(() => undefined);
  return left;
}
