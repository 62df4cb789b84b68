// The kubelet server on a real containerd, driven by the real kubectl through
// an in-process API server (Node + Pod objects written by hand: no agent).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStorage } from '../../storage/sqlite/sqlite.ts';
import { startApiServer } from '../../apiserver/server.ts';
import { BUSYBOX_IMAGE, runTestSandbox, startTestContainer, startTestContainerd, testContainerdMissing } from '../containerd/testing/test-containerd.ts';
import type { Pod } from '../types.ts';
import { WebSocket } from 'ws';
import { startKubeletServer } from './kubelet-server.ts';
import { openRuntimeStreamWebSocket } from './runtime-stream.ts';

const token = 'h4-token';
const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0 ? undefined : 'kubectl not found';
const skip = testContainerdMissing() ?? kubectlMissing;
if (skip) console.log(`# skipped: ${skip}`);

test('kubectl logs, exec, cp through the API server and kubelet server to containerd', { skip: skip ?? false, timeout: 60_000 }, async () => {
  const tc = await startTestContainerd({ bridge: 'sk-h4', podCIDR: '10.88.4.0/24' });
  const dir = mkdtempSync(join(tmpdir(), 'skiff-h4-'));
  const storage = openSqliteStorage(join(dir, 'state.db'), { synchronous: 'NORMAL', compactInterval: 0 });
  const api = await startApiServer({ storage, kubeletToken: token });
  const kubeletPods = new Map<string, Pod>();
  const kubelet = await startKubeletServer({
    host: '127.0.0.1',
    port: 0,
    token,
    runtime: tc.cri,
    images: tc.cri,
    pod: (ns, name) => kubeletPods.get(`${ns}/${name}`),
    pods: () => [...kubeletPods.values()],
    nodeName: 'h4-node',
    log: (l) => console.log(`# kubelet: ${l}`),
  });
  try {
    const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
      const r = await fetch(`${api.url}${path}`, { method, headers: { 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      const text = await r.text();
      assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
      return JSON.parse(text);
    };
    await call('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'h4-node' } });
    const node = (await call('GET', '/api/v1/nodes/h4-node')) as { status?: object };
    node.status = { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } } };
    await call('PUT', '/api/v1/nodes/h4-node/status', node);

    const podSpec = { containers: [{ name: 'app', image: BUSYBOX_IMAGE, command: ['sh', '-c', 'echo hello; sleep 0.1; echo oops >&2; sleep 0.1; echo $((1+2)); exec sleep 3600'] }] };
    const created = (await call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: podSpec })) as Pod;
    const uid = created.metadata.uid!;
    await call('POST', '/api/v1/namespaces/default/pods/web/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { kind: 'Node', name: 'h4-node' } });

    // Run the pod by hand, the way the pod worker would.
    const sb = await runTestSandbox(tc, { name: 'web', uid });
    const sandboxId = sb.id;
    const cid = await startTestContainer(tc, sb, 'app', 0, podSpec.containers[0]!.command);
    const status = {
      phase: 'Running',
      containerStatuses: [{ name: 'app', state: { running: {} }, lastState: {}, ready: true, restartCount: 0, image: BUSYBOX_IMAGE, imageID: '', containerID: `containerd://${cid}`, started: true }],
    };
    const current = (await call('GET', '/api/v1/namespaces/default/pods/web')) as Pod;
    await call('PUT', '/api/v1/namespaces/default/pods/web/status', { ...current, status: { ...current.status, ...status } });
    kubeletPods.set('default/web', { ...created, spec: { ...created.spec, nodeName: 'h4-node' }, status: status as NonNullable<Pod['status']> });

    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${api.url}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n    namespace: default\ncurrent-context: c\n`,
    );
    // Async: the API server and kubelet server answer from this very process.
    const kubectl = (args: string[], input = '', env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 20_000, env: { ...process.env, ...env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.stdin.end(input);
        child.once('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
      });

    let logs = await kubectl(['logs', 'web']);
    for (let i = 0; i < 50 && !logs.stdout.includes('3\n'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      logs = await kubectl(['logs', 'web']);
    }
    assert.equal(logs.stdout, 'hello\noops\n3\n', logs.stderr);
    const prev = await kubectl(['logs', 'web', '--previous']);
    assert.notEqual(prev.status, 0);
    assert.match(prev.stderr, /previous terminated container "app" in pod "web" not found/);

    const hostname = await kubectl(['exec', 'web', '--', 'cat', '/etc/hostname']);
    assert.equal(hostname.stdout, 'web\n', hostname.stderr);
    const exit3 = await kubectl(['exec', 'web', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(exit3.status, 3, exit3.stderr);
    assert.equal(exit3.stdout, 'out\n');
    assert.match(exit3.stderr, /err/);

    // The WebSocket runtime stream straight to containerd: output and the exit status.
    const { url } = await tc.cri.exec({ containerId: cid, cmd: ['sh', '-c', 'echo ws-out; echo ws-err >&2; exit 4'], tty: false, stdin: false, stdout: true, stderr: true });
    const direct = await openRuntimeStreamWebSocket(url, { stdin: false, stdout: true, stderr: true, tty: false });
    let directOut = '';
    let directErr = '';
    direct.stdout!.on('data', (d: Buffer) => (directOut += d.toString()));
    direct.stderr!.on('data', (d: Buffer) => (directErr += d.toString()));
    const directStatus = (await direct.done) as { reason?: string; details?: { causes?: { message?: string }[] } };
    assert.equal(directOut, 'ws-out\n');
    assert.equal(directErr, 'ws-err\n');
    assert.equal(directStatus.reason, 'NonZeroExitCode');
    assert.equal(directStatus.details?.causes?.[0]?.message, '4');

    // A tty (kubectl needs a terminal for -t, so the WebSocket is driven here): stdout only, resize applied.
    const ttyOut = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`${api.url.replace('http', 'ws')}/api/v1/namespaces/default/pods/web/exec?command=sh&command=-c&command=tty;sleep%200.5;stty%20size&stdout=true&tty=true`, ['v5.channel.k8s.io']);
      let out = '';
      ws.on('message', (m: Buffer) => {
        if (m[0] === 1) out += m.subarray(1).toString();
      });
      ws.once('open', () => ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":100,"Height":30}')])));
      ws.once('close', () => resolve(out));
      ws.once('error', reject);
    });
    assert.match(ttyOut, /^\/dev\/pts\/\d+\r\n30 100\r\n$/);

    // stdin EOF reaches the process (SPDY to containerd): cat ends, kubectl cp into the pod works.
    const cat = await kubectl(['exec', '-i', 'web', '--', 'cat'], 'through cat\n');
    assert.equal(cat.stdout, 'through cat\n', cat.stderr);
    const cpIn = join(dir, 'in.txt');
    writeFileSync(cpIn, 'copied in\n');
    const cpToPod = await kubectl(['cp', cpIn, 'web:/tmp/in.txt']);
    assert.equal(cpToPod.status, 0, cpToPod.stderr);
    assert.equal((await kubectl(['exec', 'web', '--', 'cat', '/tmp/in.txt'])).stdout, 'copied in\n');

    // kubectl over SPDY (WebSockets turned off): stdin to its end, stderr apart, the exit code.
    const spdy = { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };
    const spdyCat = await kubectl(['exec', '-i', 'web', '--', 'sh', '-c', 'cat; echo to-err >&2; exit 5'], 'over spdy\n', spdy);
    assert.equal(spdyCat.status, 5, spdyCat.stderr);
    assert.equal(spdyCat.stdout, 'over spdy\n');
    assert.match(spdyCat.stderr, /to-err/);

    const cpOut = join(dir, 'hostname.txt');
    const cp = await kubectl(['cp', 'web:/etc/hostname', cpOut]);
    assert.equal(cp.status, 0, cp.stderr);
    assert.equal(readFileSync(cpOut, 'utf8'), 'web\n');

    // Follow: a second container that prints, then exits; -f ends with it.
    const c2 = await startTestContainer(tc, sb, 'app', 1, ['sh', '-c', 'for i in 1 2 3; do echo line-$i; sleep 0.2; done']);
    kubeletPods.set('default/web', {
      ...kubeletPods.get('default/web')!,
      status: { containerStatuses: [{ ...status.containerStatuses[0]!, state: { running: {} }, containerID: `containerd://${c2}`, lastState: { terminated: { exitCode: 0, containerID: `containerd://${cid}` } } }] },
    });
    const follow = await kubectl(['logs', '-f', 'web']);
    assert.equal(follow.stdout, 'line-1\nline-2\nline-3\n', follow.stderr);
    assert.equal((await kubectl(['logs', 'web', '--previous'])).stdout, 'hello\noops\n3\n');
  } finally {
    await kubelet.close();
    await api.close();
    await storage.close();
    await tc.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
});
