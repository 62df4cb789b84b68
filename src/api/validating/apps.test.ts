import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, type Any } from './test-helpers.ts';

const template = (): Any => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } });
const workload = (kind: string): Any => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: template() },
});

test('realistic workloads are valid', () => {
  for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']) assert.deepEqual(check(`${kind}.apps`, workload(kind)), [], kind);
});

test('replicas must not be negative', () => {
  const d = workload('Deployment');
  d['spec'].replicas = -1;
  assert.deepEqual(check('Deployment.apps', d), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
});

test('selector is required, non-empty and must match the template', () => {
  const d = workload('Deployment');
  delete d['spec'].selector;
  assert.deepEqual(check('Deployment.apps', d), ['spec.selector: Required value']);
  const e = workload('Deployment');
  e['spec'].selector = {};
  assert.deepEqual(check('Deployment.apps', e), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
  const m = workload('StatefulSet');
  m['spec'].selector = { matchLabels: { app: 'db' } };
  assert.deepEqual(check('StatefulSet.apps', m), ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']);
  const x = workload('DaemonSet');
  x['spec'].selector = { matchExpressions: [{ key: 'app', operator: 'In' }] };
  assert.deepEqual(check('DaemonSet.apps', x), ["spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]);
});

test('workload templates must restart Always', () => {
  const d = workload('Deployment');
  d['spec'].template.spec.restartPolicy = 'Never';
  assert.deepEqual(check('Deployment.apps', d), ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']);
});

test('deployment strategy', () => {
  const d = workload('Deployment');
  d['spec'].strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } };
  assert.deepEqual(check('Deployment.apps', d), ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']);
  const p = workload('Deployment');
  p['spec'].strategy = { rollingUpdate: { maxUnavailable: '150%', maxSurge: 'lots' } };
  const errs = check('Deployment.apps', p);
  assert.equal(errs[0], 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%');
  assert.match(errs[1] ?? '', /^spec\.strategy\.rollingUpdate\.maxSurge: Invalid value: "lots": a valid percent string must be/);
  const r = workload('Deployment');
  r['spec'].strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } };
  assert.deepEqual(check('Deployment.apps', r), ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]);
  const t = workload('Deployment');
  t['spec'].strategy = { type: 'BlueGreen' };
  assert.deepEqual(check('Deployment.apps', t), ['spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"']);
  const g = workload('Deployment');
  g['spec'].minReadySeconds = 700;
  assert.deepEqual(check('Deployment.apps', g), ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds']);
});

test('selector is immutable on update', () => {
  const old = workload('ReplicaSet');
  const next = workload('ReplicaSet');
  next['spec'].selector = { matchLabels: { app: 'web', tier: 'x' } };
  next['spec'].template.metadata.labels.tier = 'x';
  assert.deepEqual(check('ReplicaSet.apps', next, old), ['spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable']);
  const scaled = workload('Deployment');
  scaled['spec'].replicas = 5;
  assert.deepEqual(check('Deployment.apps', scaled, workload('Deployment')), []);
});

test('statefulset: only some spec fields may change', () => {
  const old = workload('StatefulSet');
  const next = workload('StatefulSet');
  next['spec'].replicas = 3;
  next['spec'].template.spec.containers[0].image = 'nginx:1.28';
  assert.deepEqual(check('StatefulSet.apps', next, old), []);
  const bad = workload('StatefulSet');
  bad['spec'].serviceName = 'other';
  assert.deepEqual(check('StatefulSet.apps', bad, workload('StatefulSet')), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
  const policy = workload('StatefulSet');
  policy['spec'].podManagementPolicy = 'Random';
  policy['spec'].updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: -1 } };
  assert.deepEqual(check('StatefulSet.apps', policy), [
    'spec.podManagementPolicy: Unsupported value: "Random": supported values: "OrderedReady", "Parallel"',
    'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('daemonset update strategy', () => {
  const ds = workload('DaemonSet');
  ds['spec'].updateStrategy = { type: 'Sometimes' };
  assert.deepEqual(check('DaemonSet.apps', ds), ['spec.updateStrategy.type: Unsupported value: "Sometimes": supported values: "OnDelete", "RollingUpdate"']);
});

test('controller revisions need data, which is immutable', () => {
  const cr = { metadata: { name: 'web-1', namespace: 'default' }, revision: 1, data: { spec: {} } };
  assert.deepEqual(check('ControllerRevision.apps', cr), []);
  assert.deepEqual(check('ControllerRevision.apps', { metadata: { name: 'x', namespace: 'd' }, revision: -1 }), [
    'data: Required value: data is mandatory',
    'revision: Invalid value: -1: must be greater than or equal to 0',
  ]);
  assert.deepEqual(check('ControllerRevision.apps', { ...cr, data: { spec: { x: 1 } } }, cr), ['data: Invalid value: {"spec":{"x":1}}: field is immutable']);
});

test('statefulset: containers may mount volumeClaimTemplates by name', () => {
  const s = workload('StatefulSet');
  s.spec.template.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }];
  s.spec.volumeClaimTemplates = [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }];
  assert.deepEqual(check('StatefulSet.apps', s), []);
  s.spec.template.spec.containers[0].volumeMounts = [{ name: 'other', mountPath: '/data' }];
  assert.equal(check('StatefulSet.apps', s).length, 1);
});
