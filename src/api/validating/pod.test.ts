import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../defaulting/all.ts';
import './all.ts';
import { applyDefaults } from '../defaults.ts';
import { validateObject } from '../validation.ts';
import type { KubeObject } from '../meta.ts';
import { formatFieldError } from '../../machinery/status.ts';

type Any = Record<string, any>;

function pod(): Any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['sh', '-c', 'true'] }],
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          ports: [{ name: 'http', containerPort: 80 }],
          env: [{ name: 'MODE', value: 'prod' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
          readinessProbe: { httpGet: { path: '/', port: 'http' } },
          livenessProbe: { tcpSocket: { port: 80 } },
        },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      nodeSelector: { 'kubernetes.io/os': 'linux' },
    },
  };
}

function errors(p: Any, old?: Any): string[] {
  applyDefaults('Pod', p as KubeObject);
  if (old) applyDefaults('Pod', old as KubeObject);
  return validateObject('Pod', p as KubeObject, old as KubeObject | undefined).map(formatFieldError);
}

test('a realistic pod is valid', () => {
  assert.deepEqual(errors(pod()), []);
});

test('containers are required', () => {
  const p = pod();
  p['spec'].containers = [];
  assert.deepEqual(errors(p), ['spec.containers: Required value']);
});

test('container names, images and duplicates', () => {
  const p = pod();
  p['spec'].containers.push({ name: 'web', image: '' }, { name: 'Bad_Name', image: 'x' });
  const errs = errors(p);
  assert.ok(errs.includes('spec.containers[1].name: Duplicate value: "web"'), errs.join('\n'));
  assert.ok(errs.includes('spec.containers[1].image: Required value'));
  assert.ok(errs.some((e) => e.startsWith('spec.containers[2].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist')));
});

test('ports: range, protocol and names', () => {
  const p = pod();
  p['spec'].containers[0].ports = [{ containerPort: 70000 }, { containerPort: 81, protocol: 'HTTP' }, { containerPort: 82, name: '9000' }];
  assert.deepEqual(errors(p), [
    'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    'spec.containers[0].ports[2].name: Invalid value: "9000": must contain at least one letter (a-z)',
  ]);
});

test('restart and dns policies are enums', () => {
  const p = pod();
  p['spec'].restartPolicy = 'Sometimes';
  p['spec'].dnsPolicy = 'None';
  assert.deepEqual(errors(p), [
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None',
  ]);
});

test('resources: requests may not exceed limits; quantities must parse', () => {
  const p = pod();
  p['spec'].containers[0].resources = { requests: { cpu: '2', memory: 'lots' }, limits: { cpu: '1' } };
  const errs = errors(p);
  assert.equal(errs.length, 2, errs.join('\n'));
  assert.match(errs[0] ?? '', /^spec\.containers\[0\]\.resources\.requests\[memory\]: Invalid value: "lots": quantities must match/);
  assert.equal(errs[1], 'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1');
});

test('env names and value sources', () => {
  const p = pod();
  p['spec'].containers[0].env = [{ name: '' }, { name: 'A=B', value: 'x' }, { name: 'X', value: 'v', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];
  assert.deepEqual(errors(p), [
    'spec.containers[0].env[0].name: Required value',
    `spec.containers[0].env[1].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    'spec.containers[0].env[2].valueFrom: Invalid value: "": may not be specified when `value` is not empty',
  ]);
});

test('volumes and mounts', () => {
  const p = pod();
  p['spec'].volumes = [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }, { name: 'two', emptyDir: {}, hostPath: { path: '/x' } }];
  p['spec'].containers[0].volumeMounts = [{ name: 'data', mountPath: '/data' }, { name: 'missing', mountPath: '/data' }];
  assert.deepEqual(errors(p), [
    'spec.volumes[1].name: Duplicate value: "data"',
    'spec.volumes[2].emptyDir: Forbidden: may not specify more than 1 volume type',
    'spec.containers[0].volumeMounts[1].name: Not found: "missing"',
    'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique',
  ]);
});

test('probes need one handler and liveness success threshold 1', () => {
  const p = pod();
  p['spec'].containers[0].livenessProbe = { successThreshold: 2, periodSeconds: -1, tcpSocket: { port: 80 } };
  p['spec'].containers[0].readinessProbe = {};
  assert.deepEqual(errors(p), [
    'spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
    'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    'spec.containers[0].readinessProbe: Required value: must specify a handler type',
  ]);
});

test('grace period, deadlines and tolerations', () => {
  const p = pod();
  p['spec'].terminationGracePeriodSeconds = -5;
  p['spec'].activeDeadlineSeconds = 0;
  p['spec'].tolerations = [{ operator: 'Equal', value: 'x' }, { key: 'k', operator: 'Exists', value: 'v' }, { key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 }];
  assert.deepEqual(errors(p), [
    'spec.terminationGracePeriodSeconds: Invalid value: -5: must be greater than or equal to 0',
    'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
    'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    "spec.tolerations[1].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
    "spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
  ]);
});

test('metadata is validated with the subdomain rule', () => {
  const p = pod();
  p['metadata'].name = 'Web';
  assert.match(errors(p)[0] ?? '', /^metadata\.name: Invalid value: "Web": a lowercase RFC 1123 subdomain/);
});

test('updates may change images, add tolerations and shorten deadlines', () => {
  const old = pod();
  const next = pod();
  next['spec'].containers[0].image = 'nginx:1.28';
  next['spec'].tolerations.push({ key: 'x', operator: 'Exists' });
  assert.deepEqual(errors(next, old), []);
});

test('other spec changes are forbidden on update', () => {
  const old = pod();
  const next = pod();
  next['spec'].containers[0].ports[0].containerPort = 8080;
  const errs = errors(next, old);
  assert.equal(errs.length, 1);
  assert.match(errs[0] ?? '', /^spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/);
  const renamed = pod();
  renamed['metadata'].name = 'other';
  assert.deepEqual(errors(renamed, pod()), ['metadata.name: Invalid value: "other": field is immutable']);
  const removed = pod();
  removed['spec'].tolerations = [];
  assert.deepEqual(errors(removed, pod()), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
});

test('a status write sharing the stored spec checks only metadata, with the same result as a full check', () => {
  const old = pod();
  applyDefaults('Pod', old as KubeObject);
  const shared = { ...old, metadata: { ...old['metadata'] }, status: { phase: 'Running' } };
  const copied = { ...shared, spec: structuredClone(old['spec']) };
  assert.deepEqual(errors(shared, old), []);
  assert.deepEqual(errors(shared, old), errors(copied, old));
  shared['metadata'] = { ...old['metadata'], name: 'other' };
  copied['metadata'] = shared['metadata'];
  assert.deepEqual(errors(shared, old), ['metadata.name: Invalid value: "other": field is immutable']);
  assert.deepEqual(errors(shared, old), errors(copied, old));
});
