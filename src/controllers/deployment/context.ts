// What one Deployment sync works with: the API, the caches, the Event
// recorder, the clock — and the Deployment being reconciled (a private copy).

import { resourceForKind } from '../../api/scheme.ts';
import type { Client, EventRecorder, Lister } from '../../client/interfaces.ts';
import type { Clock } from '../../machinery/clock.ts';
import type { Deployment, Pod, ReplicaSet } from '../common/types.ts';

export const deploymentsResource = resourceForKind('apps', 'Deployment')!;
export const replicaSetsResource = resourceForKind('apps', 'ReplicaSet')!;

export type DeploymentSyncDeps = {
  client: Client;
  deploymentLister: Lister<Deployment>;
  rsLister: Lister<ReplicaSet>;
  podLister: Lister<Pod>;
  recorder: EventRecorder;
  clock: Clock;
};

export type SyncResult = { requeueAfterMs?: number };
