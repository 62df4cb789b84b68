import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../defaulting/all.ts';
import './all.ts';
import { applyDefaults } from '../defaults.ts';
import { groupKindKey, type KubeObject } from '../meta.ts';
import { resources } from '../scheme.ts';
import { validateObject } from '../validation.ts';

// Whatever a client sends, defaulting and validation return; they never throw (no 500s).
// Names an object inherits: a lookup table indexed by one of them finds Object.prototype's
// function unless it checks own keys. They come up often here, as values and as keys.
const inherited = fc.constantFrom('constructor', 'valueOf', 'toString', 'hasOwnProperty', '__proto__');
const anyJson = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: inherited },
  { weight: 1, arbitrary: fc.dictionary(inherited, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }) },
);
const shaped = fc.record(
  {
    metadata: fc.oneof(fc.dictionary(fc.constantFrom('name', 'namespace', 'generateName', 'labels', 'annotations', 'ownerReferences', 'finalizers'), anyJson), anyJson),
    spec: fc.oneof(
      anyJson,
      fc.dictionary(
        fc.constantFrom('containers', 'template', 'selector', 'ports', 'volumes', 'strategy', 'replicas', 'type', 'schedule', 'jobTemplate', 'tolerations', 'updateStrategy'),
        anyJson,
      ),
    ),
    data: anyJson,
    rules: anyJson,
    subjects: anyJson,
    roleRef: anyJson,
    involvedObject: anyJson,
    regarding: anyJson,
    endpoints: anyJson,
    ports: anyJson,
    subsets: anyJson,
  },
  { requiredKeys: [] },
);

test('defaulting and validation never throw on malformed objects', () => {
  const kinds = resources.map((r) => groupKindKey(r.group, r.kind));
  fc.assert(
    fc.property(fc.constantFrom(...kinds), shaped, shaped, (kind, raw, rawOld) => {
      const obj = raw as unknown as KubeObject;
      const old = rawOld as unknown as KubeObject;
      applyDefaults(kind, obj);
      const errs = validateObject(kind, obj, old);
      assert.ok(Array.isArray(errs));
    }),
    { numRuns: 3000 },
  );
});

const container = { name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80, name: 'http' }], env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'x' } } }], resources: { limits: { cpu: '1' }, requests: { cpu: '1' } }, livenessProbe: { httpGet: { port: 80 } }, volumeMounts: [{ name: 'v', mountPath: '/v' }] };
const podSpec = { containers: [container], initContainers: [container], volumes: [{ name: 'v', configMap: { name: 'x' } }], tolerations: [{ key: 'k', operator: 'Exists' }], nodeSelector: { a: 'b' } };
const template = { metadata: { labels: { app: 'a' } }, spec: podSpec };
const samples: [string, Record<string, unknown>][] = [
  ['Pod', { metadata: { name: 'p', namespace: 'd' }, spec: podSpec }],
  ['Deployment.apps', { metadata: { name: 'd', namespace: 'd' }, spec: { selector: { matchLabels: { app: 'a' } }, template, strategy: { rollingUpdate: { maxSurge: 1 } } } }],
  ['StatefulSet.apps', { metadata: { name: 's', namespace: 'd' }, spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['a'] }] }, template, volumeClaimTemplates: [{ metadata: { name: 'x' }, spec: {} }] } }],
  ['Job.batch', { metadata: { name: 'j', namespace: 'd', uid: 'u' }, spec: { template } }],
  ['CronJob.batch', { metadata: { name: 'c', namespace: 'd' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } }],
  ['Service', { metadata: { name: 's', namespace: 'd' }, spec: { ports: [{ port: 80, targetPort: 'http', nodePort: 30000 }], selector: { a: 'b' }, sessionAffinity: 'ClientIP' } }],
  ['Secret', { metadata: { name: 's', namespace: 'd' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } }],
  ['RoleBinding.rbac.authorization.k8s.io', { metadata: { name: 'r', namespace: 'd' }, roleRef: { kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' }, subjects: [{ kind: 'User', name: 'u' }] }],
  ['Event.events.k8s.io', { metadata: { name: 'e', namespace: 'd' }, regarding: { kind: 'Pod' }, eventTime: 'x', reportingController: 'c' }],
];

function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null) return [prefix];
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, Array.isArray(v) ? Number(k) : k]));
  return out;
}

test('defaulting and validation never throw when one field of a realistic object is replaced', () => {
  fc.assert(
    fc.property(fc.constantFrom(...samples), fc.nat(), anyJson, fc.boolean(), ([kind, sample], pick, value, asUpdate) => {
      const obj = structuredClone(sample);
      const all = paths(obj);
      const path = all[pick % all.length] ?? [];
      let at: any = obj;
      for (const k of path.slice(0, -1)) at = at[k];
      at[path[path.length - 1] as string] = value;
      applyDefaults(kind, obj as KubeObject);
      const errs = validateObject(kind, obj as KubeObject, asUpdate ? (structuredClone(sample) as KubeObject) : undefined);
      assert.ok(Array.isArray(errs));
    }),
    { numRuns: 5000 },
  );
});
