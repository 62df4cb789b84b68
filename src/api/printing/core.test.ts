import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../meta.ts';
import { printerFor } from '../printers.ts';
import { accessModesString, formatEndpoints, nodeRoles, nodeStatus, serviceExternalIP, servicePorts } from './core.ts';
import './core.ts';

const now = Date.parse('2024-05-01T12:00:00Z');
const created = new Date(now - 3 * 3600_000).toISOString();

function obj(kind: string, rest: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind, metadata: { name: 'x', creationTimestamp: created, ...meta }, ...rest };
}

function cells(o: KubeObject): unknown[] {
  const p = printerFor(o.kind as string);
  assert.ok(p, `printer for ${o.kind}`);
  const c = p.cells(o, now);
  assert.equal(c.length, p.columns.length);
  return c;
}

describe('service table', () => {
  it('formats ports with node ports and protocols', () => {
    const svc = obj('Service', { spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } });
    assert.equal(servicePorts(svc), '80:30080/TCP,53/UDP');
    assert.equal(servicePorts(obj('Service', { spec: {} })), '<none>');
  });

  it('prints a ClusterIP service row', () => {
    const svc = obj('Service', { spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web', tier: 'fe' } } });
    assert.deepEqual(cells(svc), ['x', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '3h', 'app=web,tier=fe']);
    const headless = obj('Service', { spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] } });
    assert.deepEqual(cells(headless).slice(1, 5), ['ClusterIP', 'None', '<none>', '<none>']);
  });

  it('computes EXTERNAL-IP per service type', () => {
    assert.equal(serviceExternalIP(obj('Service', { spec: { type: 'LoadBalancer' } })), '<pending>');
    assert.equal(serviceExternalIP(obj('Service', { spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: 'lb.example' }] } } })), '1.2.3.4,lb.example');
    assert.equal(serviceExternalIP(obj('Service', { spec: { type: 'LoadBalancer', externalIPs: ['5.6.7.8'] }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } })), '1.2.3.4,5.6.7.8');
    assert.equal(serviceExternalIP(obj('Service', { spec: { type: 'ExternalName', externalName: 'db.example.com' } })), 'db.example.com');
    assert.equal(serviceExternalIP(obj('Service', { spec: { type: 'NodePort', externalIPs: ['9.9.9.9'] } })), '9.9.9.9');
  });
});

describe('node table', () => {
  it('derives status and roles', () => {
    const ready = obj('Node', { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '', 'kubernetes.io/role': 'etcd' } });
    assert.equal(nodeStatus(ready), 'Ready');
    assert.equal(nodeRoles(ready), 'control-plane,etcd,master');
    const cordoned = obj('Node', { spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } });
    assert.equal(nodeStatus(cordoned), 'NotReady,SchedulingDisabled');
    assert.equal(nodeStatus(obj('Node', {})), 'Unknown');
    assert.equal(nodeRoles(obj('Node', {}, { labels: { 'node-role.kubernetes.io/': '' } })), '<none>');
  });

  it('prints a node row with the wide columns', () => {
    const node = obj('Node', {
      status: {
        conditions: [{ type: 'Ready', status: 'True' }],
        addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '192.168.1.10' }],
        nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.0' },
      },
    });
    assert.deepEqual(cells(node), ['x', 'Ready', '<none>', '3h', 'v1.32.0', '192.168.1.10', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.7.0']);
    assert.deepEqual(cells(obj('Node', {})).slice(5), ['<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });
});

describe('other core tables', () => {
  it('summarises endpoints, capping at three', () => {
    const ep = obj('Endpoints', {
      subsets: [
        { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] },
        { addresses: [{ ip: 'fd00::1' }] },
      ],
    });
    assert.equal(formatEndpoints(ep), '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...');
    assert.equal(formatEndpoints(obj('Endpoints', { subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }] })), '[fd00::1]:80');
    assert.equal(formatEndpoints(obj('Endpoints', {})), '<none>');
  });

  it('counts configmap and secret data', () => {
    assert.deepEqual(cells(obj('ConfigMap', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } })), ['x', 3, '3h']);
    assert.deepEqual(cells(obj('Secret', { type: 'Opaque', data: { a: 'MQ==' } })), ['x', 'Opaque', 1, '3h']);
    assert.deepEqual(cells(obj('Namespace', { status: { phase: 'Active' } })), ['x', 'Active', '3h']);
  });

  it('prints volumes and claims', () => {
    assert.equal(accessModesString(['ReadWriteMany', 'ReadWriteOnce']), 'RWO,RWX');
    const pv = obj('PersistentVolume', {
      spec: { capacity: { storage: '1024Mi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'local' },
      status: { phase: 'Bound' },
    });
    assert.deepEqual(cells(pv), ['x', '1Gi', 'RWO', 'Retain', 'Bound', 'default/data', 'local', '<unset>', '', '3h', '<unset>']);
    const pvc = obj('PersistentVolumeClaim', { spec: { storageClassName: 'local', volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
    assert.deepEqual(cells(pvc), ['x', 'Pending', '', '', '', 'local', '<unset>', '3h', 'Filesystem']);
  });

  it('prints core events with the object and the time since', () => {
    const ev = obj('Event', {
      involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{a}' },
      reason: 'Pulled',
      type: 'Normal',
      message: ' pulled image \n',
      source: { component: 'kubelet', host: 'n1' },
      firstTimestamp: new Date(now - 600_000).toISOString(),
      lastTimestamp: new Date(now - 60_000).toISOString(),
      count: 4,
    });
    assert.deepEqual(cells(ev), ['60s', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{a}', 'kubelet, n1', 'pulled image', '10m', 4, 'x']);
    const single = obj('Event', { involvedObject: { kind: 'Node' }, eventTime: new Date(now - 5000).toISOString(), reportingComponent: 'sched' });
    assert.deepEqual(cells(single).slice(0, 9), ['5s', '', '', 'node', '', 'sched', '', '5s', 1]);
  });

  it('prints replication controllers and service accounts', () => {
    const rc = obj('ReplicationController', { spec: { replicas: 3, selector: { app: 'a' }, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } }, status: { replicas: 2, readyReplicas: 1 } });
    assert.deepEqual(cells(rc), ['x', 3, 2, 1, '3h', 'c', 'i', 'app=a']);
    assert.deepEqual(cells(obj('ServiceAccount', { secrets: [{ name: 's' }] })), ['x', 1, '3h']);
  });
});
