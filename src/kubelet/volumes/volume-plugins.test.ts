import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { KubeObject } from '../../api/meta.ts';
import { resourceFor } from '../../api/scheme.ts';
import { startTestCluster, type TestCluster } from '../../client/testing/test-cluster.ts';
import { FakeClock } from '../../machinery/clock.ts';
import type { Pod } from '../types.ts';
import { createTokenIssuer } from './service-account-token.ts';
import { createVolumeManager } from './volume-manager.ts';
import type { Volume } from './volume-types.ts';

const configMaps = resourceFor('', 'v1', 'configmaps')!;
const serviceAccounts = resourceFor('', 'v1', 'serviceaccounts')!;
const pvcs = resourceFor('', 'v1', 'persistentvolumeclaims')!;
const pvs = resourceFor('', 'v1', 'persistentvolumes')!;

let cluster: TestCluster;
let root: string;
before(async () => {
  cluster = await startTestCluster();
  root = mkdtempSync(join(tmpdir(), 'skiff-volp-'));
});
after(async () => {
  await cluster.stop();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
function makePod(volumes: Volume[]): Pod {
  n++;
  return {
    metadata: { name: `pp${n}`, namespace: 'default', uid: `u${n}-${Math.random().toString(36).slice(2)}`, labels: { b: '2', a: 'x"y' }, annotations: { note: 'hi' } },
    spec: {
      containers: [{ name: 'c', resources: { limits: { memory: '64Mi', cpu: '250m' } }, volumeMounts: volumes.map((v) => ({ name: v.name, mountPath: `/${v.name}` })) }],
      volumes,
    },
  };
}

function manager(clock = new FakeClock()) {
  return createVolumeManager({ client: cluster.client, nodeName: 'n1', clock, log: () => {}, rootDir: root });
}

const volDir = (pod: Pod, plugin: string, name: string) => join(root, 'pods', pod.metadata.uid!, 'volumes', plugin, name);

test('downwardAPI: metadata fields, label maps in Kubernetes format, container resources with divisors', async () => {
  const vm = manager();
  try {
    const pod = makePod([{
      name: 'info',
      downwardAPI: { items: [
        { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
        { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
        { path: 'note', fieldRef: { fieldPath: "metadata.annotations['note']" } },
        { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
        { path: 'cpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu' } },
        { path: 'millicpu', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1m' } },
      ] },
    }]);
    await vm.setUp(pod);
    const dir = volDir(pod, 'kubernetes.io~downward-api', 'info');
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    assert.equal(read('name'), pod.metadata.name);
    assert.equal(read('labels'), 'a="x\\"y"\nb="2"');
    assert.equal(read('note'), 'hi');
    assert.equal(read('mem'), '64');
    assert.equal(read('cpu'), '1');
    assert.equal(read('millicpu'), '250');

    // A label change reaches the file on the next sync.
    const relabelled = structuredClone(pod);
    relabelled.metadata.labels = { c: '3' };
    await vm.setUp(relabelled);
    assert.equal(read('labels'), 'c="3"');

    const bad = makePod([{ name: 'x', downwardAPI: { items: [{ path: 'ip', fieldRef: { fieldPath: 'status.podIP' } }] } }]);
    await assert.rejects(vm.setUp(bad), /volume "x" : unsupported fieldPath: status.podIP/);
    await vm.tearDown(pod);
  } finally {
    vm.stop();
  }
});

test('projected: configMap + downwardAPI + a service account token with Kubernetes claims', async () => {
  await cluster.client.create(configMaps, 'default', { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'CERT' } });
  const vm = manager();
  try {
    const pod = makePod([{
      name: 'kube-api-access',
      projected: { defaultMode: 0o644, sources: [
        { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
      ] },
    }]);
    await assert.rejects(vm.setUp(pod), /failed to fetch token: serviceaccounts "default" not found/);
    const sa = await cluster.client.create<KubeObject>(serviceAccounts, 'default', { metadata: { name: 'default' } });
    await vm.setUp(pod);
    const dir = volDir(pod, 'kubernetes.io~projected', 'kube-api-access');
    assert.equal(readFileSync(join(dir, 'ca.crt'), 'utf8'), 'CERT');
    assert.equal(readFileSync(join(dir, 'namespace'), 'utf8'), 'default');
    const token = readFileSync(join(dir, 'token'), 'utf8');
    const [header, payload, sig] = token.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    assert.equal(claims.sub, 'system:serviceaccount:default:default');
    assert.deepEqual(claims['kubernetes.io'], { namespace: 'default', pod: { name: pod.metadata.name, uid: pod.metadata.uid }, serviceaccount: { name: 'default', uid: sa.metadata.uid } });
    assert.equal(claims.exp - claims.iat, 3607);
    assert.ok(sig && sig.length > 20);
    // The same token until it is 80% through its life: syncs do not rewrite the volume.
    await vm.setUp(pod);
    assert.equal(readFileSync(join(dir, 'token'), 'utf8'), token);
    await vm.tearDown(pod);

    // Without the kube-root-ca.crt configMap (nothing publishes it yet) the volume still mounts, without ca.crt.
    await cluster.client.delete(configMaps, 'default', 'kube-root-ca.crt');
    const noCa = makePod([{ name: 'api', projected: { sources: [{ serviceAccountToken: { path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }] } }]);
    await vm.setUp(noCa);
    assert.ok(existsSync(join(volDir(noCa, 'kubernetes.io~projected', 'api'), 'token')));
    assert.equal(existsSync(join(volDir(noCa, 'kubernetes.io~projected', 'api'), 'ca.crt')), false);
    await vm.tearDown(noCa);
  } finally {
    vm.stop();
  }
});

test('token issuer rotates after 80% of the lifetime and signs with its key', () => {
  const clock = new FakeClock();
  const key = Buffer.alloc(32, 7);
  const issuer = createTokenIssuer(clock, key);
  const req = { namespace: 'ns', serviceAccount: { name: 'sa', uid: 'sau' }, pod: { name: 'p', uid: 'pu' }, audiences: ['api'], expirationSeconds: 1000 };
  const t1 = issuer.token(req);
  const [h, p, s] = t1.split('.');
  assert.equal(createHmac('sha256', key).update(`${h}.${p}`).digest('base64url'), s);
  clock.advance(799_000);
  assert.equal(issuer.token(req), t1);
  clock.advance(2_000);
  assert.notEqual(issuer.token(req), t1);
});

test('hostPath type checks use Kubernetes messages; *OrCreate create; tearDown keeps host data', async () => {
  const vm = manager();
  const host = mkdtempSync(join(tmpdir(), 'skiff-host-'));
  try {
    writeFileSync(join(host, 'file'), 'data');
    const cases: [Volume, RegExp][] = [
      [{ name: 'h', hostPath: { path: join(host, 'missing'), type: 'Directory' } }, /hostPath type check failed: .*\/missing is not a directory/],
      [{ name: 'h', hostPath: { path: join(host, 'file'), type: 'Directory' } }, /is not a directory/],
      [{ name: 'h', hostPath: { path: host, type: 'File' } }, /is not a file/],
      [{ name: 'h', hostPath: { path: host, type: 'Socket' } }, /is not a socket file/],
      [{ name: 'h', hostPath: { path: host, type: 'CharDevice' } }, /is not a character device/],
      [{ name: 'h', hostPath: { path: '/dev/null', type: 'BlockDevice' } }, /is not a block device/],
    ];
    for (const [v, re] of cases) await assert.rejects(vm.setUp(makePod([v])), re);
    const pod = makePod([
      { name: 'd', hostPath: { path: join(host, 'made', 'dir'), type: 'DirectoryOrCreate' } },
      { name: 'f', hostPath: { path: join(host, 'made.txt'), type: 'FileOrCreate' } },
      { name: 'c', hostPath: { path: '/dev/null', type: 'CharDevice' } },
      { name: 'any', hostPath: { path: host } },
    ]);
    const mounts = await vm.setUp(pod);
    assert.ok(statSync(join(host, 'made', 'dir')).isDirectory());
    assert.ok(statSync(join(host, 'made.txt')).isFile());
    assert.deepEqual(mounts.get('c')?.map((m) => m.hostPath), [join(host, 'made', 'dir'), join(host, 'made.txt'), '/dev/null', host]);
    await vm.tearDown(pod);
    assert.equal(readFileSync(join(host, 'file'), 'utf8'), 'data');
    assert.ok(existsSync(join(host, 'made', 'dir')));
  } finally {
    vm.stop();
    rmSync(host, { recursive: true, force: true });
  }
});

test('persistentVolumeClaim: must exist and be bound; mounts the PV path, creating local-path ones', async () => {
  const vm = manager();
  const storage = mkdtempSync(join(tmpdir(), 'skiff-pv-'));
  try {
    const vol: Volume = { name: 'data', persistentVolumeClaim: { claimName: 'claim1', readOnly: true } };
    await assert.rejects(vm.setUp(makePod([vol])), /volume "data" : persistentvolumeclaim "claim1" not found/);
    const pvc = await cluster.client.create(pvcs, 'default', {
      metadata: { name: 'claim1' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    await assert.rejects(vm.setUp(makePod([vol])), /persistentvolumeclaim "claim1" is not bound/);

    const pvPath = join(storage, 'pvc-1');
    await cluster.client.create(pvs, undefined, {
      metadata: { name: 'pv1', annotations: { 'skiff.dev/provisioned-by': 'local-path' } },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: pvPath, type: 'DirectoryOrCreate' }, claimRef: { namespace: 'default', name: 'claim1' } },
    });
    const bound = { ...pvc, spec: { ...(pvc['spec'] as object), volumeName: 'pv1' } };
    const updated = await cluster.client.update(pvcs, 'default', bound);
    await cluster.client.update(pvcs, 'default', { ...updated, status: { phase: 'Bound' } }, { subresource: 'status' });

    const pod = makePod([vol]);
    const mounts = await vm.setUp(pod);
    assert.deepEqual(mounts.get('c'), [{ containerPath: '/data', hostPath: pvPath, readonly: true }]);
    assert.ok(statSync(pvPath).isDirectory());
    writeFileSync(join(pvPath, 'keep'), 'x');
    await vm.tearDown(pod);
    assert.equal(readFileSync(join(pvPath, 'keep'), 'utf8'), 'x', 'PV data survives the pod');

    // A local PV whose path is missing (and not ours to create) is an error.
    mkdirSync(join(storage, 'elsewhere'));
    await cluster.client.create(pvs, undefined, { metadata: { name: 'pv2' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: join(storage, 'nope') } } });
    const c2 = await cluster.client.create(pvcs, 'default', { metadata: { name: 'claim2' }, spec: { accessModes: ['ReadWriteOnce'], volumeName: 'pv2', resources: { requests: { storage: '1Gi' } } } });
    await cluster.client.update(pvcs, 'default', { ...c2, status: { phase: 'Bound' } }, { subresource: 'status' });
    await assert.rejects(vm.setUp(makePod([{ name: 'l', persistentVolumeClaim: { claimName: 'claim2' } }])), /local volume "pv2": path .*\/nope does not exist on node n1/);
  } finally {
    vm.stop();
    rmSync(storage, { recursive: true, force: true });
  }
});
