// Starts and owns a containerd process for one node, k3s style: generated
// config, root/state/socket under the agent's data dir, log to a file.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { containerdPaths, renderContainerdConfig } from './containerd-config.ts';
import { writeRegistryHosts } from './registry-hosts.ts';

export { writeCniConfig } from './cni-config.ts';

export type ContainerdOptions = {
  /** D/agent. */
  dataDir: string;
  log: (line: string) => void;
  /** Default 'docker.io/skiff/pause:1'; must be imported (nothing is pullable here). */
  sandboxImage?: string;
  /** Bridge name for writeCniConfig; kept here so callers configure the node in one place. */
  cniBridge?: string;
  /** 'host:port' pulled over plain http (127.0.0.1:* and localhost:* always are). */
  insecureRegistries?: string[];
  mirrors?: Record<string, string[]>;
  /** The containerd binary; default CONTAINERD_BIN. */
  containerdBin?: string;
  /** How long to wait for the socket and the CRI plugin; default 30 s. */
  startTimeoutMs?: number;
};

export type RunningContainerd = {
  /** unix:///…/containerd.sock */
  endpoint: string;
  socket: string;
  version: string;
  pid: number;
  /** SIGTERM, SIGKILL after 10 s; resolves when the process is gone. Containers keep running (as with a real node). */
  stop(): Promise<void>;
};

export const CONTAINERD_BIN = process.env['SKIFF_CONTAINERD_BIN'] ?? '/usr/bin/containerd';
export const CTR_BIN = process.env['SKIFF_CTR_BIN'] ?? '/usr/bin/ctr';
export const DEFAULT_SANDBOX_IMAGE = 'docker.io/skiff/pause:1';

const run = promisify(execFile);
const live = new Set<ChildProcess>();
let exitHook = false;

/** Why a real containerd cannot run here, or undefined when it can. */
export function containerdMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (containerd, runc and CNI do)';
  for (const bin of [CONTAINERD_BIN, CTR_BIN, '/usr/sbin/runc', '/usr/lib/cni/bridge']) {
    if (!existsSync(bin)) return `${bin} not found (apt-get install containerd runc containernetworking-plugins)`;
  }
  return undefined;
}

export async function startContainerd(opts: ContainerdOptions): Promise<RunningContainerd> {
  const paths = containerdPaths(opts.dataDir);
  // A unix socket path longer than 107 bytes cannot be bound; say so instead of containerd's cryptic error.
  if (Buffer.byteLength(paths.socket) > 107) throw new Error(`containerd socket path ${paths.socket} is longer than 107 bytes: use a shorter --data-dir`);
  for (const d of [paths.dir, paths.root, paths.state, paths.cniConfDir, paths.cniIpamDir]) mkdirSync(d, { recursive: true });
  writeFileSync(paths.config, renderContainerdConfig(paths, opts.sandboxImage ?? DEFAULT_SANDBOX_IMAGE));
  writeRegistryHosts(paths.certsDir, {
    ...(opts.insecureRegistries ? { insecureRegistries: opts.insecureRegistries } : {}),
    ...(opts.mirrors ? { mirrors: opts.mirrors } : {}),
  });
  await stopLeftover(paths.pidFile, paths.config, opts.log);
  rmSync(paths.socket, { force: true });
  const bin = opts.containerdBin ?? CONTAINERD_BIN;
  const version = await containerdVersion(bin);

  installExitHook();
  const logFd = openSync(paths.log, 'a');
  const started = Date.now();
  opts.log(`containerd ${version}: starting (config ${paths.config}, log ${paths.log})`);
  const child = spawn(bin, ['--config', paths.config], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  live.add(child);
  if (child.pid) writeFileSync(paths.pidFile, `${child.pid}\n`);
  let exitInfo: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      rmSync(paths.pidFile, { force: true });
      exitInfo = signal ? `signal ${signal}` : `code ${code}`;
      resolve();
    });
    child.once('error', (err) => {
      live.delete(child);
      exitInfo = err.message;
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (exitInfo !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitReady(paths.socket, paths.log, () => exitInfo, opts.startTimeoutMs ?? 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  opts.log(`containerd: ready on ${paths.socket} in ${Date.now() - started} ms (pid ${child.pid})`);
  return { endpoint: `unix://${paths.socket}`, socket: paths.socket, version, pid: child.pid ?? 0, stop };
}

/**
 * A containerd left running by an agent that died (kill -9) still holds this
 * root's database; a new one would wait on its lock forever. It is ours: stop it.
 */
async function stopLeftover(pidFile: string, config: string, log: (line: string) => void): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  const alive = (): boolean => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(config);
    } catch {
      return false;
    }
  };
  if (Number.isInteger(pid) && pid > 0 && alive()) {
    log(`containerd: stopping the containerd (pid ${pid}) a previous run left on ${config}`);
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (alive()) process.kill(pid, 'SIGKILL');
    while (alive()) await new Promise((r) => setTimeout(r, 20));
  }
  rmSync(pidFile, { force: true });
}

async function containerdVersion(bin: string): Promise<string> {
  try {
    const { stdout } = await run(bin, ['--version']);
    // "containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3"
    return stdout.trim().split(/\s+/)[2] ?? stdout.trim();
  } catch (err) {
    throw new Error(`cannot run ${bin} (${(err as Error).message}); install containerd or pass --container-runtime-endpoint`, { cause: err });
  }
}

/** Polls until the socket accepts and the CRI plugin reports ok. */
async function waitReady(socket: string, logFile: string, exitInfo: () => string | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let socketUp = false;
  while (Date.now() < deadline) {
    const gone = exitInfo();
    if (gone !== undefined) throw new Error(`containerd exited (${gone}) before it was ready; see ${logFile}:\n${tail(logFile)}`);
    if (!socketUp) socketUp = await canConnect(socket);
    if (socketUp) {
      const cri = await criPluginState(socket);
      if (cri === 'ok') return;
      if (cri !== undefined && cri !== 'skip') throw new Error(`containerd's CRI plugin failed to load (${cri}); see ${logFile}:\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`containerd did not become ready within ${timeoutMs} ms; see ${logFile}:\n${tail(logFile)}`);
}

function canConnect(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(socket);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** The CRI plugin's status column from `ctr plugins ls` ('ok', 'error', 'skip'), or undefined while not listed. */
async function criPluginState(socket: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(CTR_BIN, ['-a', socket, 'plugins', 'ls']);
    const line = stdout.split('\n').find((l) => /^io\.containerd\.grpc\.v1\s+cri\s/.test(l));
    return line?.trim().split(/\s+/).pop();
  } catch {
    return undefined;
  }
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// A test or agent that dies must not leave containerd running behind it.
function installExitHook(): void {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}
