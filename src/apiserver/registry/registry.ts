// All resource stores of one API server, built from the scheme, with one
// watch cache per storage prefix (core and events.k8s.io events share one).

import { apiVersionOf, groupKindKey, type KubeObject } from '../../api/meta.ts';
import { resources, type ResourceInfo } from '../../api/scheme.ts';
import { rfc3339, type Clock } from '../../machinery/clock.ts';
import { forbidden, notFound } from '../../machinery/status.ts';
import type { Storage } from '../../storage/interface.ts';
import { Cacher, cacherOptionsFor } from '../../storage/cacher/cacher.ts';
import { updateManagedFields } from '../../machinery/apply/index.ts';
import { decodeObject, ResourceStore, type WriteOptions } from './store.ts';
import { defaultStrategy, type Strategy, type WriteContext } from './strategy.ts';
import { podStrategy, type DefaultTolerationSeconds } from './pods.ts';
import { jobStrategy } from './jobs.ts';
import { persistentVolumeClaimStrategy, persistentVolumeStrategy } from './persistent-volume-claims.ts';
import { namespaceStrategy } from './namespaces.ts';
import { defaultServiceRanges, serviceStrategy, type ServiceRanges } from './services.ts';

export type RegistryOptions = { storage: Storage; clock: Clock; serviceRanges?: ServiceRanges; defaultTolerationSeconds?: DefaultTolerationSeconds };

export class Registry {
  private readonly stores = new Map<string, ResourceStore>();
  private readonly cachers = new Map<string, Cacher<KubeObject>>();
  readonly storage: Storage;
  readonly clock: Clock;

  constructor(opts: RegistryOptions) {
    this.storage = opts.storage;
    this.clock = opts.clock;
    const ctx: WriteContext = {
      clock: opts.clock,
      admitCreate: (info, obj) => this.admitCreate(info, obj),
      trackFields: (info, old, next, wo) => trackFields(info, old, next, wo, opts.clock),
      store: (group, resource) => this.mustStore(group, resource),
    };
    const special: Record<string, Strategy> = {
      Pod: podStrategy(opts.defaultTolerationSeconds),
      'Job.batch': jobStrategy,
      PersistentVolumeClaim: persistentVolumeClaimStrategy(),
      PersistentVolume: persistentVolumeStrategy(),
      // A kubelet registers its Node with its status; Kubernetes keeps it.
      Node: { generation: false },
      Namespace: namespaceStrategy,
      Service: serviceStrategy(opts.serviceRanges ?? defaultServiceRanges),
    };
    for (const info of resources) {
      let cache = this.cachers.get(info.storagePrefix);
      if (!cache) {
        cache = new Cacher<KubeObject>(opts.storage, info.storagePrefix, decodeObject, cacherOptionsFor(opts.storage));
        this.cachers.set(info.storagePrefix, cache);
      }
      const gk = groupKindKey(info.group, info.kind);
      const strategy = special[gk] ?? defaultStrategy(gk, info.subresources.includes('status'));
      this.stores.set(`${info.group}/${info.resource}`, new ResourceStore(info, opts.storage, cache, strategy, opts.clock, ctx));
    }
  }

  async start(): Promise<void> {
    await Promise.all([...this.cachers.values()].map((c) => c.start()));
  }

  /** Stops the watch caches; call before closing the storage. */
  stop(): void {
    for (const c of this.cachers.values()) c.stop();
  }

  store(group: string, resource: string): ResourceStore | undefined {
    return this.stores.get(`${group}/${resource}`);
  }

  mustStore(group: string, resource: string): ResourceStore {
    const s = this.store(group, resource);
    if (!s) throw new Error(`no store for ${group}/${resource}`);
    return s;
  }

  allStores(): IterableIterator<ResourceStore> {
    return this.stores.values();
  }

  /** NamespaceLifecycle admission: no new content in a missing or terminating namespace. */
  private async admitCreate(info: ResourceInfo, obj: KubeObject): Promise<void> {
    if (!info.namespaced) return;
    const ns = obj.metadata.namespace!;
    const namespaces = this.mustStore('', 'namespaces');
    // From the watch cache, as Kubernetes' NamespaceLifecycle reads its informer; the store on a miss.
    let nsObj = namespaces.cache.get(namespaces.key(undefined, ns))?.object;
    if (!nsObj) {
      try {
        nsObj = await namespaces.get(undefined, ns);
      } catch {
        throw notFound({ group: '', resource: 'namespaces' }, ns);
      }
    }
    if (nsObj.metadata.deletionTimestamp || (nsObj.status as { phase?: string } | undefined)?.phase === 'Terminating') {
      const err = forbidden(info, obj.metadata.name ?? '', `unable to create new content in namespace ${ns} because it is being terminated`);
      err.status.reason = 'Forbidden';
      throw err;
    }
  }
}

function trackFields(info: ResourceInfo, old: KubeObject | undefined, next: KubeObject, opts: WriteOptions, clock: Clock): void {
  if (!opts.fieldManager || opts.apply) return;
  const params = {
    old,
    updated: next,
    manager: opts.fieldManager,
    typeName: info.schema,
    apiVersion: apiVersionOf(info.group, info.version),
    now: rfc3339(clock.now()),
    // Writes to the main resource never own status where status is a subresource.
    ...(!opts.subresource && info.subresources.includes('status') ? { resetFields: [['status']] } : {}),
  };
  updateManagedFields(opts.subresource ? { ...params, subresource: opts.subresource } : params);
}
