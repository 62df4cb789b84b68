// Per-resource behaviour on top of the generic store, as Kubernetes' RESTCreateStrategy,
// RESTUpdateStrategy and RESTGracefulDeleteStrategy.

import type { KubeObject } from '../../api/meta.ts';
import type { ResourceInfo } from '../../api/scheme.ts';
import type { Clock } from '../../machinery/clock.ts';
import type { DeleteOptions, ResourceStore, WriteOptions } from './store.ts';

export type WriteContext = {
  clock: Clock;
  /** Admission for creates: the namespace must exist and not be terminating. */
  admitCreate(info: ResourceInfo, obj: KubeObject): Promise<void>;
  /** managedFields bookkeeping for non-apply writes. */
  trackFields(info: ResourceInfo, old: KubeObject | undefined, next: KubeObject, opts: WriteOptions): void;
  /** Another resource's store, e.g. services for ClusterIP allocation. */
  store(group: string, resource: string): ResourceStore;
};

export type Strategy = {
  /** metadata.generation starts at 1 and is bumped on every spec change. */
  generation: boolean;
  prepareForCreate?(obj: KubeObject, ctx: WriteContext): void | Promise<void>;
  /** `old` is only read: it may be the watch cache's shared object. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: WriteContext): void | Promise<void>;
  /** Seconds of grace before the object goes; undefined or 0 deletes at once. */
  gracePeriod?(obj: KubeObject, options: DeleteOptions): number | undefined;
  /** True while a delete must only mark the object (namespaces with spec.finalizers). */
  deleteMarksOnly?(obj: KubeObject): boolean;
  /** Changes made when an object is marked for deletion. */
  prepareForDelete?(obj: KubeObject): void;
  afterCreate?(obj: KubeObject, ctx: WriteContext): void | Promise<void>;
  afterDelete?(obj: KubeObject, ctx: WriteContext): void | Promise<void>;
};

/** Kinds whose spec changes bump metadata.generation in Kubernetes. */
const withGeneration = new Set([
  'Deployment.apps',
  'ReplicaSet.apps',
  'StatefulSet.apps',
  'DaemonSet.apps',
  'Job.batch',
  'CronJob.batch',
  'ReplicationController',
  'PodDisruptionBudget.policy',
]);

export function defaultStrategy(groupKind: string, hasStatus: boolean): Strategy {
  return {
    generation: withGeneration.has(groupKind),
    prepareForCreate(obj) {
      // A new object starts with an empty status, whatever the client sent.
      if (hasStatus) obj.status = {};
    },
  };
}
