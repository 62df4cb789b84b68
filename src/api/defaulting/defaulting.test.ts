import { test } from 'node:test';
import assert from 'node:assert/strict';
import './all.ts';
import { applyDefaults } from '../defaults.ts';
import type { KubeObject } from '../meta.ts';
import { defaultJobSelector } from './batch.ts';
import { pullPolicyFor } from './pod-spec.ts';

type Any = Record<string, any>;
const defaulted = (gk: string, obj: KubeObject): Any => {
  applyDefaults(gk, obj);
  return obj as Any;
};

test('pod defaults as kubectl get -o yaml shows them', () => {
  const pod = defaulted('Pod', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          ports: [{ containerPort: 80 }],
          livenessProbe: { httpGet: { path: '/', port: 80 } },
          resources: { limits: { cpu: '500m' } },
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        },
      ],
      volumes: [
        { name: 'cfg', configMap: { name: 'cfg' } },
        { name: 'scratch' },
        { name: 'kube-api-access-x', projected: { sources: [{ downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } }] } },
      ],
    },
  });
  const spec = pod['spec'];
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.schedulerName, 'default-scheduler');
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.deepEqual(spec.securityContext, {});
  assert.equal(spec.enableServiceLinks, true);
  const c = spec.containers[0];
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.equal(c.imagePullPolicy, 'IfNotPresent');
  assert.equal(c.ports[0].protocol, 'TCP');
  assert.deepEqual(c.livenessProbe, {
    httpGet: { path: '/', port: 80, scheme: 'HTTP' },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.deepEqual(c.resources, { limits: { cpu: '500m' }, requests: { cpu: '500m' } });
  assert.equal(c.env[0].valueFrom.fieldRef.apiVersion, 'v1');
  assert.equal(spec.volumes[0].configMap.defaultMode, 420);
  assert.deepEqual(spec.volumes[1].emptyDir, {});
  assert.equal(spec.volumes[2].projected.defaultMode, 420);
  assert.equal(spec.volumes[2].projected.sources[0].downwardAPI.items[0].fieldRef.apiVersion, 'v1');
});

test('image pull policy follows the tag', () => {
  assert.equal(pullPolicyFor('nginx'), 'Always');
  assert.equal(pullPolicyFor('nginx:latest'), 'Always');
  assert.equal(pullPolicyFor('localhost:5000/busybox'), 'Always');
  assert.equal(pullPolicyFor('localhost:5000/busybox:1.36'), 'IfNotPresent');
  assert.equal(pullPolicyFor('busybox@sha256:abc'), 'IfNotPresent');
});

test('user values are kept', () => {
  const pod = defaulted('Pod', {
    metadata: { name: 'p' },
    spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'x', imagePullPolicy: 'Never' }] },
  });
  assert.equal(pod['spec'].restartPolicy, 'Never');
  assert.equal(pod['spec'].terminationGracePeriodSeconds, 0);
  assert.equal(pod['spec'].containers[0].imagePullPolicy, 'Never');
});

test('deployment, statefulset and daemonset defaults', () => {
  const template = { metadata: { labels: { app: 'w' } }, spec: { containers: [{ name: 'w', image: 'w:1' }] } };
  const d = defaulted('Deployment.apps', { metadata: { name: 'w' }, spec: { selector: { matchLabels: { app: 'w' } }, template: structuredClone(template) } });
  assert.equal(d['spec'].replicas, 1);
  assert.deepEqual(d['spec'].strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d['spec'].revisionHistoryLimit, 10);
  assert.equal(d['spec'].progressDeadlineSeconds, 600);
  assert.equal(d['spec'].template.spec.restartPolicy, 'Always');
  const recreate = defaulted('Deployment.apps', { metadata: { name: 'w' }, spec: { strategy: { type: 'Recreate' }, template: structuredClone(template) } });
  assert.deepEqual(recreate['spec'].strategy, { type: 'Recreate' });

  const s = defaulted('StatefulSet.apps', {
    metadata: { name: 'db' },
    spec: { serviceName: 'db', template: structuredClone(template), volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] },
  });
  assert.equal(s['spec'].podManagementPolicy, 'OrderedReady');
  assert.deepEqual(s['spec'].updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(s['spec'].persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(s['spec'].volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
  assert.equal(s['spec'].volumeClaimTemplates[0].status.phase, 'Pending');

  const ds = defaulted('DaemonSet.apps', { metadata: { name: 'ds' }, spec: { template: structuredClone(template) } });
  assert.deepEqual(ds['spec'].updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(ds['spec'].revisionHistoryLimit, 10);
  assert.equal(defaulted('ReplicaSet.apps', { metadata: { name: 'r' }, spec: {} })['spec'].replicas, 1);
});

test('job defaults and the generated selector', () => {
  const job = defaulted('Job.batch', {
    metadata: { name: 'pi', namespace: 'default', uid: 'u-1' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5' }] } } },
  });
  assert.equal(job['spec'].completions, 1);
  assert.equal(job['spec'].parallelism, 1);
  assert.equal(job['spec'].backoffLimit, 6);
  assert.equal(job['spec'].completionMode, 'NonIndexed');
  assert.equal(job['spec'].suspend, false);
  assert.equal(job['spec'].podReplacementPolicy, 'TerminatingOrFailed');
  defaultJobSelector(job as KubeObject);
  assert.deepEqual(job['spec'].selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } });
  const labels = {
    'batch.kubernetes.io/controller-uid': 'u-1',
    'controller-uid': 'u-1',
    'batch.kubernetes.io/job-name': 'pi',
    'job-name': 'pi',
  };
  assert.deepEqual(job['spec'].template.metadata.labels, labels);
  assert.deepEqual(job['metadata'].labels, labels);

  const parallel = defaulted('Job.batch', { metadata: { name: 'p' }, spec: { parallelism: 3, template: {} } });
  assert.equal(parallel['spec'].completions, undefined);
  const manual = { metadata: { name: 'm', uid: 'u' }, spec: { manualSelector: true, template: {} } } as KubeObject;
  defaultJobSelector(manual);
  assert.equal((manual as Any)['spec'].selector, undefined);
});

test('cronjob defaults', () => {
  const cj = defaulted('CronJob.batch', {
    metadata: { name: 'c' },
    spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } },
  });
  assert.equal(cj['spec'].concurrencyPolicy, 'Allow');
  assert.equal(cj['spec'].suspend, false);
  assert.equal(cj['spec'].successfulJobsHistoryLimit, 3);
  assert.equal(cj['spec'].failedJobsHistoryLimit, 1);
  assert.equal(cj['spec'].jobTemplate.spec.template.spec.containers[0].imagePullPolicy, 'Always');
  assert.equal(cj['spec'].jobTemplate.spec.backoffLimit, undefined);
});

test('service defaults', () => {
  const svc = defaulted('Service', { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }, { port: 443, targetPort: 'https' }] } });
  assert.equal(svc['spec'].type, 'ClusterIP');
  assert.equal(svc['spec'].sessionAffinity, 'None');
  assert.deepEqual(svc['spec'].ports[0], { port: 80, protocol: 'TCP', targetPort: 80 });
  assert.equal(svc['spec'].ports[1].targetPort, 'https');
  assert.equal(svc['spec'].internalTrafficPolicy, 'Cluster');
  assert.equal(svc['spec'].ipFamilyPolicy, 'SingleStack');
  assert.equal(svc['spec'].externalTrafficPolicy, undefined);
  const np = defaulted('Service', { metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
  assert.equal(np['spec'].externalTrafficPolicy, 'Cluster');
  const ext = defaulted('Service', { metadata: { name: 'x' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
  assert.equal(ext['spec'].internalTrafficPolicy, undefined);
});

test('core kinds: namespace, secret, pv, pvc, endpoints, rc', () => {
  const ns = defaulted('Namespace', { metadata: { name: 'team-a' } });
  assert.deepEqual(ns['metadata'].labels, { 'kubernetes.io/metadata.name': 'team-a' });
  assert.deepEqual(ns['spec'].finalizers, ['kubernetes']);
  assert.equal(ns['status'].phase, 'Active');
  assert.equal(defaulted('Secret', { metadata: { name: 's' } })['type'], 'Opaque');
  const pv = defaulted('PersistentVolume', { metadata: { name: 'pv' }, spec: { hostPath: { path: '/x' } } });
  assert.equal(pv['spec'].persistentVolumeReclaimPolicy, 'Retain');
  assert.equal(pv['spec'].volumeMode, 'Filesystem');
  assert.equal(defaulted('PersistentVolumeClaim', { metadata: { name: 'c' }, spec: {} })['spec'].volumeMode, 'Filesystem');
  const ep = defaulted('Endpoints', { metadata: { name: 'e' }, subsets: [{ ports: [{ port: 80 }] }] });
  assert.equal(ep['subsets'][0].ports[0].protocol, 'TCP');
  const rc = defaulted('ReplicationController', { metadata: { name: 'rc' }, spec: { template: { metadata: { labels: { app: 'a' } }, spec: { containers: [] } } } });
  assert.equal(rc['spec'].replicas, 1);
  assert.deepEqual(rc['spec'].selector, { app: 'a' });
  assert.deepEqual(rc['metadata'].labels, { app: 'a' });
});

test('other groups: endpointslice, priorityclass, storageclass, rbac', () => {
  assert.deepEqual(defaulted('EndpointSlice.discovery.k8s.io', { metadata: { name: 'e' }, ports: [{ port: 80 }] })['ports'][0], { port: 80, name: '', protocol: 'TCP' });
  assert.equal(defaulted('PriorityClass.scheduling.k8s.io', { metadata: { name: 'p' }, value: 1 })['preemptionPolicy'], 'PreemptLowerPriority');
  const sc = defaulted('StorageClass.storage.k8s.io', { metadata: { name: 'sc' }, provisioner: 'x' });
  assert.equal(sc['reclaimPolicy'], 'Delete');
  assert.equal(sc['volumeBindingMode'], 'Immediate');
  const rb = defaulted('RoleBinding.rbac.authorization.k8s.io', {
    metadata: { name: 'rb' },
    subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'default', namespace: 'default' }],
  });
  assert.equal(rb['subjects'][0].apiGroup, 'rbac.authorization.k8s.io');
  assert.equal(rb['subjects'][1].apiGroup, undefined);
});
