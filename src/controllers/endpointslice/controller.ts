// The EndpointSlice controller: every Service with a selector gets slices of
// at most maxEndpointsPerSlice endpoints, owned by the Service (so the
// garbage collector removes them with it).

import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { Client, Lister } from '../../client/interfaces.ts';
import { isNotFound } from '../../machinery/status.ts';
import { keyOf, splitKey } from '../common/keys.ts';
import { hasSelector, isHeadless } from '../endpoint/pod-addresses.ts';
import { enqueueServicesAndTheirPods } from '../endpoint/service-index.ts';
import { managedByLabel, serviceNameLabel, headlessLabel, type Pod, type Service } from '../endpoint/types.ts';
import { RateLimitedQueue } from '../../client/work-queue.ts';
import { runWorkers } from '../../client/run-workers.ts';
import type { ControllerContext, RunningController } from '../types.ts';
import { desiredSliceEndpoints, zoneLabel } from './desired-slice-endpoints.ts';
import { planSlices } from './plan-slices.ts';
import { SliceTracker } from './slice-tracker.ts';
import { controllerName, defaultMaxEndpointsPerSlice, type EndpointSlice } from './types.ts';

const sliceResource = resourceForKind('discovery.k8s.io', 'EndpointSlice')!;

export function startEndpointSliceController(ctx: ControllerContext, maxPerSlice = defaultMaxEndpointsPerSlice): RunningController {
  const queue = new RateLimitedQueue<string>({ clock: ctx.clock, name: 'endpointslice' });
  const services = ctx.informers.informerFor<Service>(resourceForKind('', 'Service')!);
  const pods = ctx.informers.informerFor<Pod>(resourceForKind('', 'Pod')!);
  const nodes = ctx.informers.informerFor<KubeObject>(resourceForKind('', 'Node')!);
  const slices = ctx.informers.informerFor<EndpointSlice>(sliceResource, { labelSelector: `${managedByLabel}=${controllerName}` });
  const tracker = new SliceTracker();
  enqueueServicesAndTheirPods(queue, services, pods);
  const onSlice = (s: EndpointSlice) => {
    const svc = s.metadata.labels?.[serviceNameLabel];
    if (svc) queue.add(`${s.metadata.namespace}/${svc}`);
  };
  slices.addEventHandler({ onUpdate: (_o, s) => onSlice(s), onDelete: onSlice });
  const env: SliceEnv = {
    client: ctx.client,
    services: services.lister,
    pods: pods.lister,
    slices: slices.lister,
    zoneOf: (n) => nodes.lister.get(undefined, n)?.metadata.labels?.[zoneLabel],
    tracker,
    maxPerSlice,
  };
  const done = (async () => {
    await Promise.all([services.waitForSync(), pods.waitForSync(), nodes.waitForSync(), slices.waitForSync()]);
    await runWorkers(queue, ctx.options.concurrentSyncs, (key) => syncEndpointSlices(env, key), { name: 'endpointslice', log: ctx.log });
  })();
  return {
    async stop() {
      queue.shutDown();
      await done;
    },
  };
}

export type SliceEnv = {
  client: Client;
  services: Lister<Service>;
  pods: Lister<Pod>;
  slices: Lister<EndpointSlice>;
  zoneOf: (node: string) => string | undefined;
  tracker: SliceTracker;
  maxPerSlice: number;
};

export async function syncEndpointSlices(env: SliceEnv, key: string): Promise<void> {
  const { namespace, name } = splitKey(key);
  const svc = env.services.get(namespace, name);
  // A deleted Service's slices go with it through their owner reference.
  if (!svc) return env.tracker.forget(key);
  const cached = env.slices.list(namespace, `${serviceNameLabel}=${name}`).filter((s) => !s.metadata.deletionTimestamp);
  const existing = env.tracker.overlay(key, cached);
  if (!hasSelector(svc)) {
    for (const s of existing) await deleteSlice(env, key, s);
    return;
  }
  const plan = planSlices(desiredSliceEndpoints(svc, env.pods.list(namespace), env.zoneOf), existing, env.maxPerSlice);
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), [serviceNameLabel]: name, [managedByLabel]: controllerName };
  if (isHeadless(svc)) labels[headlessLabel] = '';
  for (const s of plan.create) {
    const slice: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        generateName: `${name}-`,
        namespace: namespace!,
        labels,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      addressType: s.addressType,
      endpoints: s.endpoints ?? [],
      ports: s.ports ?? [],
    };
    env.tracker.wrote(key, await env.client.create<EndpointSlice>(sliceResource, namespace, slice));
  }
  for (const s of plan.update) {
    s.metadata.labels = labels;
    try {
      env.tracker.wrote(key, await env.client.update<EndpointSlice>(sliceResource, namespace, s));
    } catch (e) {
      // Our remembered copy may be of a slice someone else deleted: start again from the cache.
      if (isNotFound(e)) env.tracker.forget(key);
      throw e;
    }
  }
  for (const s of plan.delete) await deleteSlice(env, key, s);
}

async function deleteSlice(env: SliceEnv, key: string, s: EndpointSlice): Promise<void> {
  try {
    await env.client.delete(sliceResource, s.metadata.namespace, s.metadata.name!);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  env.tracker.deleted(key, s);
}
