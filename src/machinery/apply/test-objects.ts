// Random objects for the fast-path tests: realistic pods, nodes, leases,
// config maps and untyped objects, with now and then a value the schema does
// not expect (nulls, empty maps and lists, strings for structs, list items
// without their key, duplicates).

import '../../api/schema/all.ts';
import fc from 'fast-check';

/** Mostly the realistic value, sometimes one that does not fit the schema. */
export const odd = fc.constantFrom<unknown>(null, {}, [], 'x', 0, true, [null], [{}], ['a', 'a'], { 1: 'a', 10: 'b', 2: 'c' }, { z: null });
export const w = <T>(real: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 6, arbitrary: real }, { weight: 1, arbitrary: odd });
const rec = (fields: Record<string, fc.Arbitrary<unknown>>) => fc.record(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, w(v)])), { requiredKeys: [] });
const name = fc.constantFrom('a', 'b', 'web', '1', '10', '2');
// Keys named like inherited properties too: `o.constructor` is not a key, `o.__proto__ = v` adds none.
const strMap = fc.dictionary(fc.constantFrom('app', 'tier', 'a/b', '1', '10', '2', '', '__proto__', 'constructor'), w(fc.constantFrom('x', '')), { maxKeys: 4, noNullPrototype: true });
const list = <T>(item: fc.Arbitrary<T>) => fc.array(w(item), { maxLength: 3 });

export const metadata = rec({
  name,
  generateName: name,
  namespace: name,
  uid: fc.constant('u1'),
  resourceVersion: fc.constant('7'),
  generation: fc.constant(1),
  creationTimestamp: fc.constant('2026-01-01T00:00:00Z'),
  selfLink: fc.constant('/x'),
  labels: strMap,
  annotations: strMap,
  finalizers: list(fc.constantFrom('f1', 'f2', 'example.com/f')),
  ownerReferences: list(rec({ apiVersion: fc.constant('v1'), kind: fc.constant('Node'), name, uid: fc.constantFrom('u1', 'u2') })),
  managedFields: fc.constant([]),
});

const container = rec({
  name,
  image: fc.constantFrom('busybox', 'nginx'),
  ports: list(rec({ containerPort: fc.constantFrom(80, 443), protocol: fc.constantFrom('TCP', 'UDP'), name })),
  env: list(rec({ name, value: fc.constantFrom('v', '') })),
  resources: rec({ requests: strMap, limits: strMap }),
  command: list(fc.constantFrom('sh', '-c')),
});
const condition = rec({ type: fc.constantFrom('Ready', 'Initialized'), status: fc.constantFrom('True', 'False'), lastProbeTime: fc.constant(null) });
const pod = rec({
  spec: rec({
    containers: list(container),
    initContainers: list(container),
    nodeName: name,
    tolerations: list(rec({ key: name, operator: fc.constant('Exists') })),
    volumes: list(rec({ name, emptyDir: fc.constant({}) })),
    securityContext: rec({ runAsUser: fc.constant(0) }),
    restartPolicy: fc.constantFrom('Always', 'Never'),
  }),
  status: rec({ phase: fc.constantFrom('Pending', 'Running'), conditions: list(condition), podIPs: list(rec({ ip: fc.constantFrom('10.0.0.1', '10.0.0.2') })) }),
});
const node = rec({
  spec: rec({ podCIDR: fc.constant('10.0.0.0/24'), podCIDRs: list(fc.constantFrom('10.0.0.0/24', 'fd00::/64')), taints: list(rec({ key: name, effect: fc.constant('NoSchedule') })), unschedulable: fc.boolean() }),
  status: rec({ capacity: strMap, addresses: list(rec({ type: fc.constantFrom('InternalIP', 'Hostname'), address: name })), conditions: list(condition), images: list(rec({ names: list(name) })) }),
});
const lease = rec({ spec: rec({ holderIdentity: name, leaseDurationSeconds: fc.constant(40), renewTime: fc.constant('2026-01-01T00:00:00Z') }) });
const configMap = rec({ data: strMap, binaryData: strMap, immutable: fc.boolean() });
const anything = fc.dictionary(fc.constantFrom('spec', 'status', 'data', 'a', '1'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 });

export type Kind = { typeName: string; apiVersion: string; kind: string; body: fc.Arbitrary<Record<string, unknown>>; resetStatus: boolean };
export const kinds: Kind[] = [
  { typeName: 'io.k8s.api.core.v1.Pod', apiVersion: 'v1', kind: 'Pod', body: pod, resetStatus: true },
  { typeName: 'io.k8s.api.core.v1.Node', apiVersion: 'v1', kind: 'Node', body: node, resetStatus: true },
  { typeName: 'io.k8s.api.coordination.v1.Lease', apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', body: lease, resetStatus: false },
  { typeName: 'io.k8s.api.core.v1.ConfigMap', apiVersion: 'v1', kind: 'ConfigMap', body: configMap, resetStatus: false },
  { typeName: 'example.com.v1.Unknown', apiVersion: 'example.com/v1', kind: 'Unknown', body: anything, resetStatus: false },
];

