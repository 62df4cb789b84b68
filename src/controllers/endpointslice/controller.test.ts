// The Endpoints and EndpointSlice controllers together on a real API server.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceForKind } from '../../api/scheme.ts';
import type { RunningController } from '../types.ts';
import { startEndpointController } from '../endpoint/controller.ts';
import type { Endpoints, Pod } from '../endpoint/types.ts';
import { eventually, startTestEnv, type TestControllerEnv } from '../garbagecollector/test-context.ts';
import { startEndpointSliceController } from './controller.ts';
import type { EndpointSlice } from './types.ts';

const r = (group: string, kind: string) => resourceForKind(group, kind)!;
let env: TestControllerEnv;
let controllers: RunningController[];

before(async () => {
  env = await startTestEnv();
  controllers = [startEndpointController(env.ctx), startEndpointSliceController(env.ctx, 2)];
  env.ctx.informers.start();
});

after(async () => {
  for (const c of controllers) await c.stop();
  await env.stop();
});

async function runningPod(name: string, ip: string, ready = true): Promise<void> {
  const c = env.cluster.client;
  const pod = await c.create<Pod>(r('', 'Pod'), 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ name: 'http', containerPort: 8080 }] }] },
  } as Pod);
  pod.status = { ...pod.status, phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
  await c.update(r('', 'Pod'), 'default', pod, { subresource: 'status' });
}

const endpointIPs = async (name: string) => {
  const list = await env.cluster.client.list<Endpoints>(r('', 'Endpoints'), 'default');
  const ep = list.items.find((e) => e.metadata.name === name);
  return ep && { ready: (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort(), notReady: (ep.subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip)).sort(), ep };
};

const slicesOf = async (svc: string) =>
  (await env.cluster.client.list<EndpointSlice>(r('discovery.k8s.io', 'EndpointSlice'), 'default', { labelSelector: `kubernetes.io/service-name=${svc}` })).items;

test('a service follows its pods in Endpoints and in slices of at most the maximum', async () => {
  const c = env.cluster.client;
  await c.create(r('', 'Service'), 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
  await runningPod('a', '10.42.0.2');
  await runningPod('b', '10.42.0.3');
  await runningPod('c', '10.42.0.4', false);
  const ips = await eventually(async () => {
    const e = await endpointIPs('web');
    return e && e.ready.length === 2 && e.notReady.length === 1 ? e : undefined;
  }, 5000, 'endpoints of 3 pods');
  assert.deepEqual(ips.ready, ['10.42.0.2', '10.42.0.3']);
  assert.deepEqual(ips.ep.subsets?.[0]?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  const slices = await eventually(async () => {
    const s = await slicesOf('web');
    return s.reduce((n, x) => n + (x.endpoints ?? []).length, 0) === 3 ? s : undefined;
  }, 5000, 'slices of 3 endpoints');
  assert.equal(slices.length, 2);
  assert.ok(slices.every((s) => (s.endpoints ?? []).length <= 2 && s.metadata.ownerReferences?.[0]?.kind === 'Service'));
  // Scale down: a pod goes, both views follow; no duplicate slices were made on the way.
  await c.delete(r('', 'Pod'), 'default', 'a');
  await eventually(async () => (await endpointIPs('web'))?.ready.join() === '10.42.0.3', 5000, 'endpoints after scale down');
  await eventually(async () => (await slicesOf('web')).flatMap((s) => (s.endpoints ?? []).map((e) => e.addresses[0])).sort().join() === '10.42.0.3,10.42.0.4', 5000, 'slices after scale down');
  await runningPod('d', '10.42.0.5');
  await eventually(async () => (await slicesOf('web')).reduce((n, x) => n + (x.endpoints ?? []).length, 0) === 3, 5000, 'slices after scale up');
  assert.equal((await slicesOf('web')).length, 2);
});

test('a service without a selector is left to the user', async () => {
  const c = env.cluster.client;
  await c.create(r('', 'Service'), 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual' }, spec: { ports: [{ port: 80 }] } });
  await c.create(r('', 'Endpoints'), 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: '192.168.1.1' }], ports: [{ port: 80 }] }] });
  await new Promise((res) => setTimeout(res, 300));
  assert.deepEqual((await endpointIPs('manual'))?.ready, ['192.168.1.1']);
  assert.equal((await slicesOf('manual')).length, 0);
});
