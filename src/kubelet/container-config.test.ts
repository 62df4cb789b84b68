import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildContainerConfig, type ContainerConfigContext } from './container-config.ts';
import { readTerminationMessage, removePodTerminationMessages, removeTerminationMessage, terminationAnnotations } from './container-config/termination-message.ts';
import type { ContainerStatus } from './runtime/runtime.ts';
import type { ContainerSpec, Pod } from './types.ts';

const rootDir = mkdtempSync(join(tmpdir(), 'skiff-ccfg-'));
after(() => rmSync(rootDir, { recursive: true, force: true }));

const events: string[] = [];
const ctx: ContainerConfigContext = { podIP: '10.88.2.7', hostIP: '192.0.2.1', rootDir, allocatable: { cpu: '2', memory: '4Gi' }, event: (t, r, m) => events.push(`${t} ${r} ${m}`) };
const pod = (containers: ContainerSpec[], spec: Partial<Pod['spec']> = {}): Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'uid-1' }, spec: { containers, ...spec } });
const sandboxConfig = { metadata: { name: 'p', namespace: 'ns', uid: 'uid-1', attempt: 0 }, labels: {}, annotations: {}, logDirectory: '/logs/ns_p_uid-1' };

async function ok(p: Pod, c: ContainerSpec, attempt = 0) {
  const r = await buildContainerConfig(ctx, p, c, { attempt, init: false, mounts: [], sandboxConfig });
  if (r.kind !== 'ok') assert.fail(`expected ok, got ${JSON.stringify(r)}`);
  return r.config;
}

test('command and args expand $(VAR) from the env; $$ escapes', async () => {
  const c: ContainerSpec = {
    name: 'app',
    image: 'busybox:1.35',
    command: ['sh', '-c', 'echo $(GREETING) $(NOPE) $$(GREETING)'],
    args: ['$(POD_NAME)'],
    workingDir: '/tmp',
    env: [
      { name: 'GREETING', value: 'hello' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
  };
  const cfg = await ok(pod([c]), c, 2);
  assert.deepEqual(cfg.command, ['sh', '-c', 'echo hello $(NOPE) $(GREETING)']);
  assert.deepEqual(cfg.args, ['p']);
  assert.equal(cfg.workingDir, '/tmp');
  assert.deepEqual(cfg.metadata, { name: 'app', attempt: 2 });
  assert.equal(cfg.logPath, 'app/2.log');
  assert.equal(cfg.labels['io.kubernetes.container.name'], 'app');
  assert.equal(cfg.labels['io.kubernetes.pod.uid'], 'uid-1');
  assert.equal(cfg.annotations['io.kubernetes.container.restartCount'], '2');
  assert.match(cfg.annotations['io.kubernetes.container.hash'] ?? '', /^[0-9a-f]+$/);
});

test('resources become cgroup settings', async () => {
  const burst: ContainerSpec = { name: 'b', resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '500m', memory: '2Gi' } } };
  assert.deepEqual((await ok(pod([burst]), burst)).linux?.resources, { cpuShares: 256, cpuPeriod: 100000, cpuQuota: 50000, memoryLimitInBytes: 2 * 1024 ** 3, oomScoreAdj: 750 });
  const guaranteed: ContainerSpec = { name: 'g', resources: { limits: { cpu: '1', memory: '64Mi' } } };
  assert.deepEqual((await ok(pod([guaranteed]), guaranteed)).linux?.resources, { cpuShares: 1024, cpuPeriod: 100000, cpuQuota: 100000, memoryLimitInBytes: 64 * 1024 ** 2, oomScoreAdj: -997 });
  const tiny: ContainerSpec = { name: 't', resources: { requests: { cpu: '1m' }, limits: { cpu: '5m' } } };
  assert.deepEqual((await ok(pod([tiny]), tiny)).linux?.resources, { cpuShares: 2, cpuPeriod: 100000, cpuQuota: 1000, oomScoreAdj: 999 });
  const none: ContainerSpec = { name: 'n' };
  assert.deepEqual((await ok(pod([none]), none)).linux?.resources, { cpuShares: 2, oomScoreAdj: 1000 });
});

test('security context: the container wins over the pod; capabilities lose CAP_', async () => {
  const c: ContainerSpec = {
    name: 's',
    securityContext: { runAsUser: 65534, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN', 'cap_sys_time'], drop: ['ALL'] } },
  };
  const p = pod([c], { hostNetwork: true, securityContext: { runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [5] } });
  assert.deepEqual((await ok(p, c)).linux?.securityContext, {
    namespaceOptions: { network: 'NODE', pid: 'CONTAINER', ipc: 'POD' },
    runAsUser: 65534,
    runAsGroup: 3000,
    supplementalGroups: [5],
    readonlyRootfs: true,
    noNewPrivs: true,
    capabilities: { addCapabilities: ['NET_ADMIN', 'SYS_TIME'], dropCapabilities: ['ALL'] },
  });
});

test('runAsNonRoot that cannot hold is a config error', async () => {
  const root: ContainerSpec = { name: 'r', securityContext: { runAsNonRoot: true, runAsUser: 0 } };
  const r1 = await buildContainerConfig(ctx, pod([root]), root, { attempt: 0, init: false, mounts: [] });
  assert.deepEqual(r1, { kind: 'configError', reason: 'CreateContainerConfigError', message: `container's runAsUser breaks non-root policy (pod: "p_ns(uid-1)", container: r)` });
  const unset: ContainerSpec = { name: 'u' };
  const r2 = await buildContainerConfig(ctx, pod([unset], { securityContext: { runAsNonRoot: true } }), unset, { attempt: 0, init: false, mounts: [] });
  assert.equal(r2.kind, 'configError');
  const fine: ContainerSpec = { name: 'f', securityContext: { runAsNonRoot: true, runAsUser: 10 } };
  assert.equal((await ok(pod([fine]), fine)).linux?.securityContext?.runAsUser, 10);
});

test('runAsNonRoot without runAsUser: the image\'s user decides, as the kubelet checks it', async () => {
  const c: ContainerSpec = { name: 'u' };
  const p = pod([c], { securityContext: { runAsNonRoot: true } });
  const build = (imageUser: NonNullable<ContainerConfigContext['imageUser']>) => buildContainerConfig({ ...ctx, imageUser }, p, c, { attempt: 0, init: false, mounts: [] });
  const nonRoot = await build({ uid: 65534 });
  assert.equal(nonRoot.kind, 'ok');
  // The runtime runs the image's user: the kubelet sets none.
  assert.equal(nonRoot.kind === 'ok' ? nonRoot.config.linux?.securityContext?.runAsUser : 'x', undefined);
  const root = `container has runAsNonRoot and image will run as root (pod: "p_ns(uid-1)", container: u)`;
  assert.deepEqual(await build({ uid: 0 }), { kind: 'configError', reason: 'CreateContainerConfigError', message: root });
  assert.deepEqual(await build({}), { kind: 'configError', reason: 'CreateContainerConfigError', message: root }, 'an image that names no user runs as root');
  assert.deepEqual(await build({ username: 'nobody' }), {
    kind: 'configError',
    reason: 'CreateContainerConfigError',
    message: `container has runAsNonRoot and image has non-numeric user (nobody), cannot verify user is non-root (pod: "p_ns(uid-1)", container: u)`,
  });
});

test('env errors are CreateContainerConfigError', async () => {
  const c: ContainerSpec = { name: 'e', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }] };
  const r = await buildContainerConfig(ctx, pod([c]), c, { attempt: 0, init: false, mounts: [] });
  assert.deepEqual(r, { kind: 'configError', reason: 'CreateContainerConfigError', message: "couldn't get configMap ns/cm, no kubeClient defined" });
});

test('termination message: a fresh world-writable file per attempt, mounted at the path', async () => {
  const c: ContainerSpec = { name: 'tm', terminationMessagePath: '/tmp/msg' };
  const a0 = await ok(pod([c]), c, 0);
  const a1 = await ok(pod([c]), c, 1);
  const m0 = a0.mounts?.find((m) => m.containerPath === '/tmp/msg');
  const m1 = a1.mounts?.find((m) => m.containerPath === '/tmp/msg');
  assert.ok(m0 && m1 && m0.hostPath !== m1.hostPath);
  assert.ok(m0.hostPath.startsWith(join(rootDir, 'pods', 'uid-1', 'containers', 'tm')));
  assert.equal(statSync(m0.hostPath).mode & 0o777, 0o666);
  assert.equal(a0.annotations[terminationAnnotations.hostPath], m0.hostPath);
  assert.equal(a0.annotations[terminationAnnotations.path], '/tmp/msg');
  // The default path, and a volume mounted there takes precedence.
  const d: ContainerSpec = { name: 'd' };
  assert.equal((await ok(pod([d]), d)).mounts?.[0]?.containerPath, '/dev/termination-log');
  const r = await buildContainerConfig(ctx, pod([d]), d, { attempt: 0, init: false, mounts: [{ containerPath: '/dev/termination-log', hostPath: '/x' }] });
  assert.deepEqual(r.kind === 'ok' && r.config.mounts, [{ containerPath: '/dev/termination-log', hostPath: '/x' }]);
  // No root dir (hollow node): no file, no mount.
  const { rootDir: _, ...hollow } = ctx;
  const h = await buildContainerConfig(hollow, pod([d]), d, { attempt: 0, init: false, mounts: [] });
  assert.equal(h.kind === 'ok' && h.config.mounts, undefined);
});

test('readTerminationMessage reads the file, or the log tail on failure with FallbackToLogsOnError', async () => {
  const c: ContainerSpec = { name: 'fb', terminationMessagePolicy: 'FallbackToLogsOnError' };
  const cfg = await ok(pod([c]), c);
  const hostPath = cfg.annotations[terminationAnnotations.hostPath]!;
  const logDir = join(rootDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, '0.log');
  const lines = Array.from({ length: 100 }, (_, i) => `2026-11-26T10:00:00.000000000Z stdout F line ${i}`);
  lines.push('2026-11-26T10:00:00.000000000Z stderr P part-');
  lines.push('2026-11-26T10:00:00.000000000Z stderr F end');
  writeFileSync(logPath, lines.join('\n') + '\n');
  const status = (exitCode: number): ContainerStatus => ({
    id: 'x', podSandboxId: 's', metadata: { name: 'fb', attempt: 0 }, image: { image: '' }, imageRef: '', state: 'CONTAINER_EXITED', createdAt: 0,
    labels: cfg.labels, annotations: cfg.annotations, startedAt: 0, finishedAt: 0, exitCode, reason: 'Error', message: '', logPath,
  });
  const tail = await readTerminationMessage(pod([c]), c, status(1));
  const got = tail.trimEnd().split('\n');
  assert.equal(got.length, 80);
  assert.equal(got[0], 'line 21');
  assert.equal(got.at(-1), 'part-end');
  assert.equal(await readTerminationMessage(pod([c]), c, status(0)), '');
  writeFileSync(hostPath, 'bye now');
  assert.equal(await readTerminationMessage(pod([c]), c, status(1)), 'bye now');
  rmSync(hostPath);
  assert.ok(!existsSync(hostPath));
  assert.equal(await readTerminationMessage(pod([c]), c, status(0)), '');
  writeFileSync(hostPath, 'x'.repeat(10000));
  assert.equal((await readTerminationMessage(pod([c]), c, status(0))).length, 4096);
  assert.equal(readFileSync(hostPath, 'utf8').length, 10000);
});

test('message files are removed with their container, and all of them with the pod', async () => {
  const c: ContainerSpec = { name: 'gone' };
  const a = await ok(pod([c]), c, 0);
  const b = await ok(pod([c]), c, 1);
  const pa = a.annotations[terminationAnnotations.hostPath]!;
  const pb = b.annotations[terminationAnnotations.hostPath]!;
  await removeTerminationMessage(a);
  assert.ok(!existsSync(pa) && existsSync(pb));
  await removePodTerminationMessages(rootDir, 'uid-1');
  assert.ok(!existsSync(join(rootDir, 'pods', 'uid-1', 'containers')));
  assert.ok(existsSync(join(rootDir, 'pods', 'uid-1')));
});
