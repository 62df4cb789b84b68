// Test fixtures: an in-process API server, a scheduler against it, and builders
// for Nodes and Pods (nodes need no kubelet to be scheduled to).

import { resourceFor } from '../../api/scheme.ts';
import type { KubeObject } from '../../api/meta.ts';
import { InformerFactory } from '../../client/informer-factory.ts';
import type { Client, ComponentContext } from '../../client/interfaces.ts';
import { startTestCluster, type TestCluster } from '../../client/testing/test-cluster.ts';
import { realClock } from '../../machinery/clock.ts';
import { startScheduler, type RunningScheduler, type SchedulerOptions } from '../scheduler.ts';
import type { Node, Pod, PodSpec, Taint } from '../types.ts';
import { simpleRecorder } from './event-recorder.ts';

export const podsInfo = resourceFor('', 'v1', 'pods')!;
export const nodesInfo = resourceFor('', 'v1', 'nodes')!;

export type NodeSpecOpts = { cpu?: string; memory?: string; pods?: number; labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean };

export function makeNode(name: string, o: NodeSpecOpts = {}): Node {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '8Gi', pods: String(o.pods ?? 110) };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable, capacity: allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

export function makePod(name: string, o: { cpu?: string; memory?: string; labels?: Record<string, string>; namespace?: string; spec?: Partial<PodSpec> } = {}): Pod {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: o.namespace ?? 'default', ...(o.labels ? { labels: o.labels } : {}) },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests } }], ...o.spec },
  };
}

/** Creates a Node and then sets its status, as a kubelet does (create drops status). */
export async function createNodeWithStatus(client: Client, n: Node): Promise<void> {
  const created = await client.create<Node>(nodesInfo, undefined, n as KubeObject);
  await client.update(nodesInfo, undefined, { ...created, status: n.status } as KubeObject, { subresource: 'status' });
}

export type SchedulerEnv = {
  cluster: TestCluster;
  scheduler: RunningScheduler;
  ctx: ComponentContext;
  createNode(n: Node): Promise<void>;
  createPod(p: Pod): Promise<void>;
  getPod(name: string, namespace?: string): Promise<Pod>;
  /** Polls until `fn` returns a value (not undefined/false), or throws after `ms`. */
  waitFor<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, ms?: number): Promise<T>;
  stop(): Promise<void>;
};

export async function startSchedulerEnv(opts: SchedulerOptions = {}): Promise<SchedulerEnv> {
  const cluster = await startTestCluster();
  const client = cluster.newClient();
  const informers = new InformerFactory(client, { clock: realClock });
  const logs: string[] = [];
  const ctx: ComponentContext = {
    client,
    informers,
    clock: realClock,
    recorder: (component) => simpleRecorder(client, component),
    log: (line) => logs.push(line),
  };
  const scheduler = await startScheduler(ctx, { podInitialBackoffSeconds: 0.05, podMaxBackoffSeconds: 0.2, ...opts });
  const env: SchedulerEnv = {
    cluster,
    scheduler,
    ctx,
    async createNode(n) {
      await createNodeWithStatus(cluster.client, n);
    },
    async createPod(p) {
      await cluster.client.create(podsInfo, p.metadata.namespace ?? 'default', p as KubeObject);
    },
    getPod: (name, namespace = 'default') => cluster.client.get<Pod>(podsInfo, namespace, name),
    async waitFor(fn, ms = 5000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const v = await fn();
        if (v !== undefined && v !== false) return v as never;
        if (Date.now() > deadline) throw new Error(`timed out; scheduler log:\n${logs.join('\n')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      await scheduler.stop();
      informers.stop();
      await cluster.stop();
    },
  };
  return env;
}
