import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desiredSliceEndpoints } from './desired-slice-endpoints.ts';
import { planSlices } from './plan-slices.ts';
import type { EndpointSlice } from './types.ts';
import { pod, svc } from '../endpoint/testing.ts';

const service = svc({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
const zoneOf = (n: string) => (n === 'n1' ? 'zone-a' : undefined);

function pods(n: number, from = 0) {
  return Array.from({ length: n }, (_, i) => pod(`p${from + i}`, `10.42.${Math.floor((from + i) / 250)}.${((from + i) % 250) + 1}`));
}

function asSlices(plan: ReturnType<typeof planSlices>, existing: EndpointSlice[] = []): EndpointSlice[] {
  const out = new Map(existing.map((s) => [s.metadata.name!, s]));
  for (const s of plan.delete) out.delete(s.metadata.name!);
  for (const s of plan.update) out.set(s.metadata.name!, s);
  plan.create.forEach((s, i) => out.set(`new-${existing.length}-${i}`, { ...s, metadata: { name: `new-${existing.length}-${i}` } } as EndpointSlice));
  return [...out.values()];
}

test('endpoints carry conditions, node and zone; terminating pods stay as terminating', () => {
  const groups = desiredSliceEndpoints(service, [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { ready: false, node: 'n2' }), pod('c', '10.0.0.3', { deleting: true })], zoneOf);
  assert.equal(groups.length, 1);
  const [a, b, c] = groups[0]!.endpoints;
  assert.deepEqual(a!.conditions, { ready: true, serving: true, terminating: false });
  assert.equal(a!.zone, 'zone-a');
  assert.deepEqual(b!.conditions, { ready: false, serving: false, terminating: false });
  assert.equal(b!.zone, undefined);
  assert.deepEqual(c!.conditions, { ready: false, serving: true, terminating: true });
  assert.deepEqual(groups[0]!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
});

test('250 endpoints make three slices of at most 100, and scaling moves nothing that stays', () => {
  const first = planSlices(desiredSliceEndpoints(service, pods(250), zoneOf), [], 100);
  assert.deepEqual(first.create.map((s) => s.endpoints!.length), [100, 100, 50]);
  const slices = asSlices(first);
  // Remove 10 pods from the first slice and add 30: they fill the free room before a new slice is made.
  const kept = pods(250).filter((_, i) => i >= 10);
  const second = planSlices(desiredSliceEndpoints(service, [...kept, ...pods(30, 250)], zoneOf), slices, 100);
  assert.equal(second.create.length, 0);
  assert.equal(second.delete.length, 0);
  const after = asSlices(second, slices);
  assert.deepEqual(after.map((s) => s.endpoints!.length).sort(), [100, 100, 70].sort());
  const untouched = after.find((s) => s.metadata.name === slices[1]!.metadata.name)!;
  assert.deepEqual(untouched.endpoints, slices[1]!.endpoints);
  const third = planSlices(desiredSliceEndpoints(service, [...kept, ...pods(30, 250)], zoneOf), after, 100);
  assert.deepEqual(third, { create: [], update: [], delete: [] });
});

test('a service with no endpoints keeps one empty placeholder slice', () => {
  const plan = planSlices([], [], 100);
  assert.deepEqual(plan.create, [{ addressType: 'IPv4', ports: [], endpoints: [] }]);
  const slices = asSlices(planSlices(desiredSliceEndpoints(service, pods(3), zoneOf), [], 100));
  const emptied = planSlices([], slices, 100);
  assert.equal(emptied.create.length, 0);
  assert.equal(emptied.delete.length, 0);
  assert.deepEqual(emptied.update[0]!.endpoints, []);
});
