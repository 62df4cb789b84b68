import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { resourceFor } from '../../api/scheme.ts';
import { startTestCluster, type TestCluster } from '../../client/testing/test-cluster.ts';
import type { ContainerSpec, Pod } from '../types.ts';
import { resolveContainerEnv, type EnvContext } from './container-env.ts';

let cluster: TestCluster;
const events: string[] = [];
let ctx: EnvContext;

before(async () => {
  cluster = await startTestCluster();
  const cms = resourceFor('', 'v1', 'configmaps')!;
  const secrets = resourceFor('', 'v1', 'secrets')!;
  await cluster.client.create(cms, 'default', { metadata: { name: 'cfg' }, data: { color: 'blue', size: 'L', '9lives': 'x', '1st': 'y' } });
  await cluster.client.create(secrets, 'default', { metadata: { name: 'sec' }, data: { password: Buffer.from('s3cret').toString('base64') } });
  ctx = { client: cluster.client, podIP: '10.88.2.9', hostIP: '192.0.2.1', allocatable: { cpu: '2', memory: '1Gi' }, event: (t, r, m) => events.push(`${t} ${r} ${m}`) };
});
after(async () => cluster.stop());

const pod = (c: ContainerSpec): Pod => ({ metadata: { name: 'p', namespace: 'default', uid: 'u1', labels: { app: 'x' } }, spec: { nodeName: 'n1', containers: [c] } });
const run = async (c: ContainerSpec) => resolveContainerEnv(ctx, pod(c), c);
const envOf = async (c: ContainerSpec) => {
  const r = await run(c);
  assert.equal(r.kind, 'ok', JSON.stringify(r));
  return r.kind === 'ok' ? Object.fromEntries(r.envs.map((e) => [e.key, e.value])) : {};
};

test('values expand against earlier variables; valueFrom sources resolve', async () => {
  const env = await envOf({
    name: 'c',
    env: [
      { name: 'LATE', value: '$(FIRST)' },
      { name: 'FIRST', value: 'one' },
      { name: 'BOTH', value: '$(FIRST)-$(COLOR)-$$(FIRST)' },
      { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
      { name: 'AFTER', value: '$(COLOR)' },
      { name: 'PW', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
      { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      { name: 'EMPTY' },
    ],
  });
  assert.deepEqual(env, {
    LATE: '$(FIRST)',
    FIRST: 'one',
    BOTH: 'one-$(COLOR)-$(FIRST)',
    COLOR: 'blue',
    AFTER: 'blue',
    PW: 's3cret',
    POD: 'p',
    APP: 'x',
    NODE: 'n1',
    IP: '10.88.2.9',
    MEM: '1024',
    EMPTY: '',
  });
});

test('envFrom adds prefixed keys, skips invalid names with an event, env overrides', async () => {
  events.length = 0;
  const env = await envOf({
    name: 'c',
    envFrom: [{ configMapRef: { name: 'cfg' } }, { prefix: 'S_', secretRef: { name: 'sec' } }, { configMapRef: { name: 'gone', optional: true } }],
    env: [{ name: 'size', value: 'XL-$(color)' }],
  });
  assert.deepEqual(env, { color: 'blue', size: 'XL-blue', S_password: 's3cret' });
  assert.deepEqual(events, [
    'Warning InvalidEnvironmentVariableNames Keys [1st, 9lives] from the EnvFrom configMap default/cfg were skipped since they are considered invalid environment variable names.',
  ]);
});

test('missing objects and keys are config errors unless optional', async () => {
  assert.deepEqual(await run({ name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }), { kind: 'error', message: 'configmap "nope" not found' });
  assert.deepEqual(await run({ name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }] }), { kind: 'error', message: 'secret "nope" not found' });
  assert.deepEqual(await run({ name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }] }), {
    kind: 'error',
    message: "couldn't find key k in ConfigMap default/cfg",
  });
  assert.deepEqual(await run({ name: 'c', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'sec', key: 'k' } } }] }), {
    kind: 'error',
    message: "couldn't find key k in Secret default/sec",
  });
  assert.deepEqual(await run({ name: 'c', envFrom: [{ secretRef: { name: 'nope' } }] }), { kind: 'error', message: 'secret "nope" not found' });
  assert.deepEqual(
    await envOf({
      name: 'c',
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k', optional: true } } },
        { name: 'B', valueFrom: { secretKeyRef: { name: 'sec', key: 'k', optional: true } } },
      ],
    }),
    {},
  );
  const r = await run({ name: 'c', env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.nope' } } }] });
  assert.deepEqual(r, { kind: 'error', message: 'unsupported fieldPath: spec.nope' });
});

test('without an API client configMap references fail with a clear message', async () => {
  const c: ContainerSpec = { name: 'c', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } }] };
  const { client: _, ...noClient } = ctx;
  const r = await resolveContainerEnv(noClient, pod(c), c);
  assert.deepEqual(r, { kind: 'error', message: "couldn't get configMap default/cfg, no kubeClient defined" });
});
