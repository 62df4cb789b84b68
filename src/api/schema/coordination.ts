// coordination.k8s.io/v1: Lease. Proto tags follow k8s.io/api/coordination/v1/generated.proto (v1.32).

import { field, gvk, int32, meta, microTime, ref, string, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { TypeDef } from './types.ts';

const coordination = (name: string): string => `io.k8s.api.coordination.v1.${name}`;

export const coordinationTypes: readonly TypeDef[] = [
  type(coordination('Lease'), 'A time-limited claim on something, used for leader election and node heartbeats.', [
    field('apiVersion', 0, string, 'Versioned schema of this representation of the object.'),
    field('kind', 0, string, 'REST resource this object represents.'),
    field('metadata', 1, ref(meta('ObjectMeta')), 'Standard metadata of the lease.'),
    field('spec', 2, ref(coordination('LeaseSpec')), 'Holder and timing of the lease.'),
  ], { gvk: gvk('coordination.k8s.io', 'v1', 'Lease') }),
  type(coordination('LeaseSpec'), 'Holder and timing of a lease.', [
    field('holderIdentity', 1, string, 'Identity of the current holder.'),
    field('leaseDurationSeconds', 2, int32, 'Seconds others must wait after renewTime before taking the lease.'),
    // MicroTime: leases are renewed often enough that seconds are too coarse.
    field('acquireTime', 3, microTime, 'When the current holder acquired the lease.'),
    field('renewTime', 4, microTime, 'When the current holder last renewed the lease.'),
    field('leaseTransitions', 5, int32, 'How many times the lease changed holder.'),
    field('strategy', 6, string, 'How the leader is picked under coordinated leader election.'),
    field('preferredHolder', 7, string, 'A better holder the current one is asked to yield to.'),
  ]),
];

registerTypes(coordinationTypes);
