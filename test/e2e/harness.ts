// End-to-end harness: runs `skiff server` as a real process and drives the real kubectl against it.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../..');
export const skiffBin = join(root, 'bin/skiff');

export type RunningServer = {
  dataDir: string;
  kubeconfig: string;
  url: string;
  process: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
};

/** Starts `skiff server --disable-agent` on a free port and waits until it answers. */
export async function startServer(extraArgs: string[] = [], dataDir?: string): Promise<RunningServer> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'skiff-e2e-'));
  const child = spawn(skiffBin, ['server', '--data-dir', dir, '--port', '0', '--disable-agent', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`skiff server exited with ${child.exitCode}:\n${out}`);
    if (out.includes('skiff is running') && existsSync(kubeconfig)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`skiff server did not start in 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = /server: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))![1]!;
  return {
    dataDir: dir,
    kubeconfig,
    url,
    process: child,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill(signal);
      }),
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export type KubectlResult = { status: number; stdout: string; stderr: string };

/** Runs the real kubectl against the server with a fresh discovery cache (inside the server's data dir, removed with it). */
export function makeKubectl(server: RunningServer) {
  const cacheDir = mkdtempSync(join(server.dataDir, 'kubectl-cache-'));
  return (args: string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): KubectlResult => {
    const r = spawnSync('kubectl', ['--kubeconfig', server.kubeconfig, '--cache-dir', cacheDir, ...args], {
      input: opts.input ?? '',
      encoding: 'utf8',
      timeout: opts.timeoutMs ?? 30_000,
      env: { ...process.env, ...opts.env },
    });
    return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  };
}

/** The output of a kubectl run that must have succeeded; a failure shows its exit status and output. */
export function ok(r: KubectlResult): string {
  assert.equal(r.status, 0, `kubectl failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

export function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
}

export type PollOptions = {
  timeoutMs: number;
  intervalMs: number;
  /** Retry a check that throws (the last error is reported on timeout); without it a throw fails at once. */
  retryErrors?: boolean;
  /** Process output appended to a timeout's message (its last 3,000 characters). */
  output?: () => string;
};

/** Polls `check` until it gives something other than undefined or false, which is returned. */
export async function poll<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, o: PollOptions): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  let last = '';
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      if (!o.retryErrors) throw e;
      last = (e as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}${o.output ? `\n${o.output().slice(-3000)}` : ''}`);
    await new Promise((r) => setTimeout(r, o.intervalMs));
  }
}
