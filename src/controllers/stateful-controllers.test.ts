// The four controllers running together through real informers and work
// queues on an in-process API server, in fake time; a stand-in kubelet reports
// pod status.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.ts';
import { resourceForKind } from '../api/scheme.ts';
import { InformerFactory } from '../client/informer-factory.ts';
import type { ComponentContext } from '../client/interfaces.ts';
import { startTestCluster, type TestCluster } from '../client/testing/test-cluster.ts';
import { FakeClock, rfc3339 } from '../machinery/clock.ts';
import type { Pod } from './common/types.ts';
import { startControllerManager, type RunningControllerManager } from './manager.ts';

const R = {
  pods: resourceForKind('', 'Pod')!,
  nodes: resourceForKind('', 'Node')!,
  jobs: resourceForKind('batch', 'Job')!,
  cronjobs: resourceForKind('batch', 'CronJob')!,
  sets: resourceForKind('apps', 'StatefulSet')!,
  daemonsets: resourceForKind('apps', 'DaemonSet')!,
};

let cluster: TestCluster;
let clock: FakeClock;
let informers: InformerFactory;
let manager: RunningControllerManager;
let kubelet: { stop(): void };
const created: string[] = [];
const exitCodes = new Map<string, number>();

before(async () => {
  clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  cluster = await startTestCluster({ clock });
  informers = new InformerFactory(cluster.client, { clock });
  const ctx: ComponentContext = { client: cluster.client, informers, clock, recorder: () => ({ event() {} }), log: () => {} };
  manager = await startControllerManager(ctx, {}, ['statefulset', 'daemonset', 'job', 'cronjob']);
  kubelet = fakeKubelet();
});

after(async () => {
  kubelet.stop();
  await manager.stop();
  informers.stop();
  await cluster.stop();
});

/** Every new pod runs and is Ready at once; a pod named in `exitCodes` exits with that code instead. */
function fakeKubelet(): { stop(): void } {
  const w = cluster.newClient().watch<Pod>(R.pods, undefined, {}, (ev) => {
    const p = ev.object;
    if (ev.type !== 'ADDED' || p.metadata.deletionTimestamp) return;
    created.push(p.metadata.name ?? '');
    const ts = rfc3339(clock.now());
    const code = [...exitCodes].find(([prefix]) => p.metadata.name?.startsWith(prefix))?.[1];
    const status =
      code === undefined
        ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: ts }] }
        : {
            phase: code === 0 ? 'Succeeded' : 'Failed',
            conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: ts }],
            containerStatuses: [{ name: 'c', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: code } } }],
          };
    cluster.client.patch(R.pods, p.metadata.namespace, p.metadata.name ?? '', 'merge', { status }, { subresource: 'status' }).catch(() => {});
  }, () => {});
  return w;
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // Back-off timers and rate limits run on the fake clock: let a little of it pass.
    clock.advance(50);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const list = async <T extends KubeObject>(r: typeof R.pods, ns?: string) => (await cluster.client.list<T>(r, ns)).items;
const tpl = (labels: Record<string, string>, restartPolicy = 'Always') => ({ metadata: { labels }, spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox' }] } });

test('a StatefulSet of 3 creates web-0, web-1, web-2 in order and scales down from the top', async () => {
  await cluster.client.create(R.sets, 'default', {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web' },
    spec: { replicas: 3, serviceName: 'web', selector: { matchLabels: { app: 'web' } }, template: tpl({ app: 'web' }) },
  });
  await until('3 ready', async () => (await cluster.client.get<KubeObject & { status?: { readyReplicas?: number } }>(R.sets, 'default', 'web')).status?.readyReplicas === 3);
  assert.deepEqual(created.filter((n) => n.startsWith('web-')), ['web-0', 'web-1', 'web-2']);
  await cluster.client.patch(R.sets, 'default', 'web', 'merge', { spec: { replicas: 1 } });
  const seen: string[][] = [];
  await until('1 left', async () => {
    const names = (await list<Pod>(R.pods, 'default')).map((p) => p.metadata.name ?? '').filter((n) => n.startsWith('web-')).sort();
    if (JSON.stringify(seen.at(-1)) !== JSON.stringify(names)) seen.push(names);
    return names.length === 1 && names;
  });
  assert.deepEqual(seen.at(-1), ['web-0']);
  assert.ok(seen.every((s) => s[0] === 'web-0' && (s.length < 3 || s[2] === 'web-2')));
  if (seen.some((s) => s.length === 2)) assert.ok(seen.filter((s) => s.length === 2).every((s) => s[1] === 'web-1'), 'web-2 went first');
});

test('a DaemonSet runs one pod per node and follows a joining node', async () => {
  for (let i = 1; i <= 5; i++) await cluster.client.create(R.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${i}` } });
  await cluster.client.create(R.daemonsets, 'default', {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: tpl({ app: 'agent' }) },
  });
  const count = async () => (await list<Pod>(R.pods, 'default')).filter((p) => p.metadata.labels?.['app'] === 'agent').length;
  await until('5 daemon pods', async () => (await count()) === 5);
  await cluster.client.create(R.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-6' } });
  await until('6 daemon pods', async () => (await count()) === 6);
  await until('status', async () => (await cluster.client.get<KubeObject & { status?: { numberReady?: number } }>(R.daemonsets, 'default', 'agent')).status?.numberReady === 6);
});

test('a Job with completions 5 and parallelism 2 completes', async () => {
  exitCodes.set('pi-', 0);
  await cluster.client.create(R.jobs, 'default', {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi' },
    spec: { completions: 5, parallelism: 2, template: tpl({ app: 'pi' }, 'Never') },
  });
  const job = await until('complete', async () => {
    const j = await cluster.client.get<KubeObject & { status?: { succeeded?: number; conditions?: { type: string; status: string }[] } }>(R.jobs, 'default', 'pi');
    return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') && j;
  });
  assert.equal(job.status?.succeeded, 5);
  const pods = (await list<Pod>(R.pods, 'default')).filter((p) => p.metadata.name?.startsWith('pi-'));
  assert.equal(pods.length, 5);
  assert.ok(pods.every((p) => !p.metadata.finalizers?.length));
});

test('a CronJob every minute creates a Job each minute in fake time', async () => {
  exitCodes.set('every-', 0);
  await cluster.client.create(R.cronjobs, 'default', {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'every' },
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: tpl({ app: 'every' }, 'Never') } } },
  });
  const jobsOf = async () => (await list<KubeObject>(R.jobs, 'default')).filter((j) => j.metadata.name?.startsWith('every-')).map((j) => j.metadata.name).sort();
  const startCount = (await jobsOf()).length;
  for (let i = 1; i <= 3; i++) {
    clock.advance(60_000 - (clock.now() % 60_000));
    await until(`job ${i}`, async () => (await jobsOf()).length >= startCount + i);
  }
  const names = await jobsOf();
  const minutes = names.map((n) => Number(n?.slice('every-'.length)));
  assert.ok(minutes.every((m, i) => i === 0 || m === minutes[i - 1]! + 1), `consecutive minutes: ${names.join(' ')}`);
  await until('lastSuccessfulTime', async () => (await cluster.client.get<KubeObject & { status?: { lastSuccessfulTime?: string } }>(R.cronjobs, 'default', 'every')).status?.lastSuccessfulTime);
});
