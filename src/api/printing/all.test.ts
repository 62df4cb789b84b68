import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { groupKindKey, type KubeObject } from '../meta.ts';
import { printerFor } from '../printers.ts';
import { resources } from '../scheme.ts';
import './all.ts';

const now = Date.parse('2024-05-01T12:00:00Z');
const created = new Date(now - 2 * 86400_000 - 3 * 3600_000).toISOString();
const iso = (msAgo: number): string => new Date(now - msAgo).toISOString();

function row(group: string, kind: string, rest: Record<string, unknown>, meta: Record<string, unknown> = {}): unknown[] {
  const p = printerFor(groupKindKey(group, kind));
  assert.ok(p, `printer for ${kind}.${group}`);
  const o: KubeObject = { kind, metadata: { name: 'x', creationTimestamp: created, ...meta }, ...rest };
  const cells = p.cells(o, now);
  assert.equal(cells.length, p.columns.length, `${kind}: one cell per column`);
  return cells;
}

describe('printer registry', () => {
  it('has a printer for every resource in the scheme, tolerant of empty objects', () => {
    for (const r of resources) {
      const p = printerFor(groupKindKey(r.group, r.kind));
      assert.ok(p, `missing printer for ${r.kind}.${r.group}`);
      const nameCol = p.columns.find((c) => c.name === 'Name');
      assert.ok(nameCol, `${r.kind} has a Name column`);
      assert.equal(nameCol.format, 'name');
      if (r.kind !== 'Event') assert.equal(p.columns[0], nameCol, `${r.kind} starts with Name`);
      const cells = p.cells({ metadata: { name: 'n' } }, now);
      assert.equal(cells.length, p.columns.length, `${r.kind}: one cell per column`);
      assert.ok(cells.includes('n'), `${r.kind} shows the name`);
    }
  });
});

describe('apps tables', () => {
  const template = { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } };
  it('deployment: READY ready/desired, UP-TO-DATE, AVAILABLE, wide selector', () => {
    const cells = row('apps', 'Deployment', {
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] }, template },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    });
    assert.deepEqual(cells, ['x', '2/3', 3, 2, '2d3h', 'web,log', 'nginx:1.27,busybox', 'app=web,tier in (fe)']);
    assert.deepEqual(row('apps', 'Deployment', { spec: { replicas: 0 } }).slice(1, 4), ['0/0', 0, 0]);
  });

  it('replicaset, statefulset, daemonset, controllerrevision', () => {
    assert.deepEqual(row('apps', 'ReplicaSet', { spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 2, readyReplicas: 1 } }), ['x', 2, 2, 1, '2d3h', 'web,log', 'nginx:1.27,busybox', 'app=web']);
    assert.deepEqual(row('apps', 'StatefulSet', { spec: { replicas: 3, template }, status: { readyReplicas: 1 } }), ['x', '1/3', '2d3h', 'web,log', 'nginx:1.27,busybox']);
    const ds = row('apps', 'DaemonSet', {
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'a', image: 'i' }] } } },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
    });
    assert.deepEqual(ds, ['x', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '2d3h', 'a', 'i', 'app=agent']);
    const cr = row('apps', 'ControllerRevision', { revision: 2 }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] });
    assert.deepEqual(cr, ['x', 'statefulset.apps/web', 2, '2d3h']);
    assert.equal(row('apps', 'ControllerRevision', {})[1], '<none>');
  });
});

describe('batch tables', () => {
  it('job: status, completions and duration', () => {
    const running = row('batch', 'Job', { spec: { completions: 3, template: { spec: { containers: [{ name: 'c', image: 'i' }] } }, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u' } } }, status: { succeeded: 1, startTime: iso(90_000) } });
    assert.deepEqual(running, ['x', 'Running', '1/3', '90s', '2d3h', 'c', 'i', 'batch.kubernetes.io/controller-uid=u']);
    const done = row('batch', 'Job', { spec: {}, status: { succeeded: 1, startTime: iso(600_000), completionTime: iso(300_000), conditions: [{ type: 'Complete', status: 'True' }] } });
    assert.deepEqual(done.slice(1, 4), ['Complete', '1/1', '5m']);
    assert.deepEqual(row('batch', 'Job', { spec: { parallelism: 4 }, status: {} }).slice(1, 4), ['Running', '0/1 of 4', '']);
    assert.equal(row('batch', 'Job', { status: { conditions: [{ type: 'Failed', status: 'True' }] } })[1], 'Failed');
    assert.equal(row('batch', 'Job', { status: { conditions: [{ type: 'Suspended', status: 'True' }] } })[1], 'Suspended');
    assert.equal(row('batch', 'Job', {}, { deletionTimestamp: iso(0) })[1], 'Terminating');
  });

  it('cronjob', () => {
    const cj = row('batch', 'CronJob', {
      spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } } },
      status: { active: [{ name: 'j' }], lastScheduleTime: iso(120_000) },
    });
    assert.deepEqual(cj, ['x', '*/5 * * * *', '<none>', 'False', 1, '2m', '2d3h', 'c', 'i', '<none>']);
    assert.deepEqual(row('batch', 'CronJob', { spec: { schedule: '@daily', timeZone: 'Etc/UTC' } }).slice(2, 6), ['Etc/UTC', '<unset>', 0, '<none>']);
  });
});

describe('other tables', () => {
  it('lease, endpointslice, events.k8s.io event', () => {
    assert.deepEqual(row('coordination.k8s.io', 'Lease', { spec: { holderIdentity: 'n1' } }), ['x', 'n1', '2d3h']);
    const slice = row('discovery.k8s.io', 'EndpointSlice', {
      addressType: 'IPv4',
      ports: [{ port: 80, name: 'http' }, { name: 'dns' }, {}],
      endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2', '10.0.0.3', '10.0.0.4'] }],
    });
    assert.deepEqual(slice, ['x', 'IPv4', '80,dns,*', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '2d3h']);
    assert.deepEqual(row('discovery.k8s.io', 'EndpointSlice', { addressType: 'IPv4' }).slice(2, 4), ['<unset>', '<unset>']);
    const ev = row('events.k8s.io', 'Event', { regarding: { kind: 'Pod', name: 'p' }, reason: 'Scheduled', note: 'assigned', type: 'Normal', eventTime: iso(3000), reportingController: 'default-scheduler' });
    assert.deepEqual(ev, ['3s', 'Normal', 'Scheduled', 'pod/p', '', 'default-scheduler', 'assigned', '3s', 1, 'x']);
  });

  it('rbac: roles use the default NAME/CREATED AT table, bindings list subjects', () => {
    const p = printerFor(groupKindKey('rbac.authorization.k8s.io', 'ClusterRole'));
    assert.deepEqual(p?.columns.map((c) => [c.name, c.type]), [['Name', 'string'], ['Created At', 'date']]);
    assert.deepEqual(row('rbac.authorization.k8s.io', 'Role', {}, { creationTimestamp: '2024-04-29T08:59:00.123Z' }), ['x', '2024-04-29T08:59:00Z']);
    const rb = row('rbac.authorization.k8s.io', 'RoleBinding', {
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'alice' }, { kind: 'User', name: 'bob' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }],
    });
    assert.deepEqual(rb, ['x', 'ClusterRole/view', '2d3h', 'alice, bob', 'devs', 'ns/sa']);
  });

  it('priorityclass, pdb, storageclass', () => {
    assert.deepEqual(row('scheduling.k8s.io', 'PriorityClass', { value: 1000, globalDefault: true, preemptionPolicy: 'Never' }), ['x', 1000, true, '2d3h', 'Never']);
    assert.deepEqual(row('policy', 'PodDisruptionBudget', { spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } }), ['x', '50%', 'N/A', 1, '2d3h']);
    assert.deepEqual(row('policy', 'PodDisruptionBudget', { spec: { maxUnavailable: 1 } }).slice(1, 3), ['N/A', '1']);
    const sc = row('storage.k8s.io', 'StorageClass', { provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' }, { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } });
    assert.deepEqual(sc, ['x (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '2d3h']);
  });
});
