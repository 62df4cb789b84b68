// The Endpoints controller: for every Service with a selector, one Endpoints
// object listing its pods; Services without selectors are the user's to fill.

import { resourceForKind } from '../../api/scheme.ts';
import type { Client, Lister } from '../../client/interfaces.ts';
import { isNotFound } from '../../machinery/status.ts';
import { deepEqual } from '../../machinery/deep-equal.ts';
import { keyOf, splitKey } from '../common/keys.ts';
import { RateLimitedQueue } from '../../client/work-queue.ts';
import { runWorkers } from '../../client/run-workers.ts';
import type { ControllerContext, RunningController } from '../types.ts';
import { desiredEndpoints } from './desired-endpoints.ts';
import { hasSelector } from './pod-addresses.ts';
import { enqueueServicesAndTheirPods } from './service-index.ts';
import type { Endpoints, Pod, Service } from './types.ts';

const endpointsResource = resourceForKind('', 'Endpoints')!;

export function startEndpointController(ctx: ControllerContext): RunningController {
  const queue = new RateLimitedQueue<string>({ clock: ctx.clock, name: 'endpoint' });
  const services = ctx.informers.informerFor<Service>(resourceForKind('', 'Service')!);
  const pods = ctx.informers.informerFor<Pod>(resourceForKind('', 'Pod')!);
  const endpoints = ctx.informers.informerFor<Endpoints>(endpointsResource);
  enqueueServicesAndTheirPods(queue, services, pods);
  endpoints.addEventHandler({ onDelete: (e) => queue.add(keyOf(e)) });
  const done = (async () => {
    await Promise.all([services.waitForSync(), pods.waitForSync(), endpoints.waitForSync()]);
    await runWorkers(queue, ctx.options.concurrentSyncs, (key) => syncEndpoints(ctx.client, key, services.lister, pods.lister, endpoints.lister), { name: 'endpoint', log: ctx.log });
  })();
  return {
    async stop() {
      queue.shutDown();
      await done;
    },
  };
}

export async function syncEndpoints(client: Client, key: string, services: Lister<Service>, pods: Lister<Pod>, endpoints: Lister<Endpoints>): Promise<void> {
  const { namespace, name } = splitKey(key);
  const svc = services.get(namespace, name);
  const current = endpoints.get(namespace, name);
  if (!svc) {
    if (current) {
      try {
        await client.delete(endpointsResource, namespace, name);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return;
  }
  if (!hasSelector(svc)) return;
  const desired = desiredEndpoints(svc, pods.list(namespace));
  if (!current) {
    await client.create(endpointsResource, namespace, desired);
    return;
  }
  if (deepEqual(current.subsets ?? [], desired.subsets ?? []) && deepEqual(current.metadata.labels ?? {}, desired.metadata.labels ?? {})) return;
  const next: Endpoints = { ...structuredClone(current), subsets: desired.subsets ?? [] };
  if (desired.metadata.labels) next.metadata.labels = desired.metadata.labels;
  else delete next.metadata.labels;
  await client.update(endpointsResource, namespace, next);
}
