// One controller serves both apps/v1 ReplicaSet and v1 ReplicationController:
// they differ only in their resource, their selector's shape and the Events' source.

import { resourceForKind, type ResourceInfo } from '../../api/scheme.ts';
import { nothing, selectorFromLabelSelector, selectorFromSet, type LabelSelector, type Selector } from '../../machinery/labels.ts';
import type { ReplicaSet } from '../common/types.ts';

export type ReplicaSetKind = {
  resource: ResourceInfo;
  apiVersion: string;
  kind: string;
  /** Event source and controller name. */
  component: string;
  /** Throws a 400 StatusError for a malformed selector. */
  selectorOf(rs: ReplicaSet): Selector;
};

export const replicaSetKind: ReplicaSetKind = {
  resource: resourceForKind('apps', 'ReplicaSet')!,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  component: 'replicaset-controller',
  selectorOf: (rs) => selectorFromLabelSelector(rs.spec?.selector as LabelSelector | undefined),
};

export const replicationControllerKind: ReplicaSetKind = {
  resource: resourceForKind('', 'ReplicationController')!,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  component: 'replication-controller',
  selectorOf: (rc) => {
    const set = rc.spec?.selector as Record<string, string> | undefined;
    // An empty map selector would match every pod in the namespace: match none instead.
    return set && Object.keys(set).length > 0 ? selectorFromSet(set) : nothing();
  },
};
