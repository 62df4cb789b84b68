// The fast path of updateManagedFields (stored entries read in place and
// written back as they were, sets filtered in place) must give byte for byte
// the managedFields of the general path, which decodes and re-encodes every
// manager. Chains of random writes to pods and leases, by a few managers,
// through the main resource and /status, with managedFields sent or not,
// typed by the real API schema.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../../api/schema/all.ts';
import type { KubeObject, ManagedFieldsEntry } from '../../api/meta.ts';
import { updateManagedFields, updateManagedFieldsGeneral, type UpdateParams } from './update-managed-fields.ts';

const seed = Number(process.env['FAST_CHECK_SEED'] ?? 42);
const times = ['2026-01-01T00:00:00Z', '2026-01-01T00:00:30Z', '2026-01-01T00:01:00Z', '2026-01-01T00:02:00Z'];

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 3 });
const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'zone'), fc.constantFrom('a', 'b'), { maxKeys: 3 });
const ownerReferences = fc.uniqueArray(fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Node'), name: fc.constant('n'), uid: fc.constantFrom('u1', 'u2', 'u3') }), { selector: (o) => o.uid, maxLength: 2 });
const metadata = fc.record({ labels, ownerReferences }, { requiredKeys: [] });

const container = fc.record(
  {
    name: fc.constantFrom('app', 'side'),
    image: fc.constantFrom('busybox:1.36', 'nginx'),
    ports: maybe(fc.uniqueArray(fc.record({ containerPort: fc.constantFrom(80, 443), protocol: maybe(fc.constantFrom('TCP', 'UDP')) }, { requiredKeys: ['containerPort'] }), { selector: (p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`, maxLength: 2 })),
    resources: maybe(fc.record({ requests: fc.dictionary(fc.constantFrom('cpu', 'memory'), fc.constantFrom('10m', '16Mi')) })),
  },
  { requiredKeys: ['name'] },
);
const condition = fc.record({ type: fc.constantFrom('Ready', 'Initialized', 'PodScheduled'), status: fc.constantFrom('True', 'False'), lastProbeTime: fc.constant(null) });
const podSpec = fc.record(
  {
    nodeName: fc.constantFrom('sim-0', 'sim-1'),
    containers: fc.uniqueArray(container, { selector: (c) => c.name, minLength: 1, maxLength: 2 }),
    tolerations: maybe(fc.array(fc.record({ key: fc.constantFrom('a', 'b'), operator: fc.constant('Exists') }), { maxLength: 2 })),
    restartPolicy: fc.constantFrom('Always', 'Never'),
    securityContext: fc.constant({}),
  },
  { requiredKeys: ['containers'] },
);
const podStatus = fc.record(
  {
    phase: fc.constantFrom('Pending', 'Running'),
    conditions: maybe(fc.uniqueArray(condition, { selector: (c) => c.type, maxLength: 3 })),
    podIP: fc.constantFrom('10.0.0.1', '10.0.0.2'),
    podIPs: maybe(fc.array(fc.record({ ip: fc.constantFrom('10.0.0.1', '10.0.0.2') }), { maxLength: 2 })),
    containerStatuses: maybe(fc.uniqueArray(fc.record({ name: fc.constantFrom('app', 'side'), ready: fc.boolean(), state: fc.constantFrom({}, { running: { startedAt: times[0] } }) }), { selector: (c) => c.name, maxLength: 2 })),
  },
  { requiredKeys: [] },
);
const leaseSpec = fc.record(
  { holderIdentity: fc.constantFrom('sim-0', 'sim-1'), leaseDurationSeconds: fc.constantFrom(40, 15), renewTime: fc.constantFrom(...times), acquireTime: fc.constantFrom(...times) },
  { requiredKeys: [] },
);

type Kind = { typeName: string; apiVersion: string; kind: string; body: fc.Arbitrary<Record<string, unknown>> };
const kinds: Kind[] = [
  { typeName: 'io.k8s.api.core.v1.Pod', apiVersion: 'v1', kind: 'Pod', body: fc.record({ spec: podSpec, status: maybe(podStatus) }, { requiredKeys: ['spec'] }) },
  { typeName: 'io.k8s.api.coordination.v1.Lease', apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', body: fc.record({ spec: leaseSpec }) },
];

/** One write: a whole new body, or the previous one with one leaf changed (the kubelet's and the lease holder's usual write). */
const step = (kind: Kind) =>
  fc.record({
    body: fc.oneof(kind.body, fc.constantFrom('renew', 'phase')),
    metadata,
    manager: fc.constantFrom('driver', 'kubelet', 'other', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10'),
    subresource: fc.constantFrom(undefined, undefined, 'status'),
    resetStatus: fc.boolean(),
    now: fc.constantFrom(...times),
    // What the client sends as managedFields: none, the stored ones, or the stored ones out of canonical form.
    sent: fc.constantFrom('none', 'echo', 'echo', 'reordered', 'dotted'),
  });

function nextBody(previous: KubeObject | undefined, body: Record<string, unknown> | string): Record<string, unknown> {
  if (typeof body !== 'string') return structuredClone(body);
  const copy: Record<string, unknown> = previous ? structuredClone({ spec: previous['spec'], status: previous['status'] }) : {};
  if (copy['status'] === undefined) delete copy['status'];
  const spec = (copy['spec'] ??= {}) as Record<string, unknown>;
  if (body === 'renew') spec['renewTime'] = spec['renewTime'] === times[1] ? times[2] : times[1];
  else copy['status'] = { ...(copy['status'] as object), phase: (copy['status'] as { phase?: string } | undefined)?.phase === 'Running' ? 'Pending' : 'Running' };
  return copy;
}

function reorder(v: unknown, dotLeaves: boolean): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const keys = Object.keys(v);
  if (keys.length === 0) return dotLeaves ? { '.': {} } : {};
  const out: Record<string, unknown> = {};
  for (const k of dotLeaves ? keys : keys.reverse()) out[k] = reorder((v as Record<string, unknown>)[k], dotLeaves);
  return out;
}

function sentFields(stored: ManagedFieldsEntry[] | undefined, how: string): ManagedFieldsEntry[] | undefined {
  if (how === 'none' || !stored) return undefined;
  const copy = structuredClone(stored);
  if (how === 'echo') return copy;
  return copy.map((e) => ({ ...e, fieldsV1: reorder(e.fieldsV1, how === 'dotted') as Record<string, unknown> }));
}

test('the fast path gives the managedFields of the general path, byte for byte', () => {
  const chain = fc.integer({ min: 0, max: 1 }).chain((k) => fc.tuple(fc.constant(k), fc.array(step(kinds[k]!), { minLength: 1, maxLength: 14 })));
  fc.assert(
    fc.property(chain, ([k, writes]) => {
      const kind = kinds[k]!;
      let stored: KubeObject | undefined;
      for (const w of writes) {
        const obj: KubeObject = { apiVersion: kind.apiVersion, kind: kind.kind, metadata: { name: 'x', namespace: 'default', uid: 'u', ...w.metadata }, ...nextBody(stored, w.body) };
        const sent = sentFields(stored?.metadata.managedFields, w.sent);
        if (sent) obj.metadata.managedFields = sent;
        const params = (updated: KubeObject): UpdateParams => ({
          old: stored && structuredClone(stored),
          updated,
          manager: w.manager,
          typeName: kind.typeName,
          apiVersion: kind.apiVersion,
          now: w.now,
          ...(stored && w.subresource ? { subresource: w.subresource } : {}),
          ...(w.resetStatus && !w.subresource ? { resetFields: [['status']] } : {}),
        });
        const general = structuredClone(obj);
        updateManagedFieldsGeneral(params(general));
        const fast = structuredClone(obj);
        updateManagedFields(params(fast));
        assert.equal(JSON.stringify(fast.metadata.managedFields), JSON.stringify(general.metadata.managedFields));
        stored = general;
      }
    }),
    { seed, numRuns: 400 },
  );
});
