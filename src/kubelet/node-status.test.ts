import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cniNotReadyMessage, defaultNodeLabels, nodeStatus, nodeStatusChanged, registrationNode, type NodeConfig } from './node-status.ts';

const cfg: NodeConfig = {
  name: 'n1',
  capacity: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' },
  labels: defaultNodeLabels('n1'),
  internalIP: '10.0.0.5',
  kubeletPort: 10250,
  osImage: 'Debian',
  kernelVersion: '6.1',
  containerRuntimeVersion: 'containerd://1.7',
  machineID: 'm1',
};

test('registration: labels, capacity = allocatable, addresses, nodeInfo, all conditions', () => {
  const node = registrationNode(cfg, Date.UTC(2026, 0, 1));
  assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], 'n1');
  assert.equal(node.metadata.labels?.['kubernetes.io/os'], 'linux');
  assert.equal(node.metadata.labels?.['kubernetes.io/arch'], 'amd64');
  assert.deepEqual(node.status?.allocatable, cfg.capacity);
  assert.deepEqual(node.status?.addresses, [{ type: 'InternalIP', address: '10.0.0.5' }, { type: 'Hostname', address: 'n1' }]);
  assert.equal(node.status?.nodeInfo?.kubeletVersion, 'v1.32.0');
  assert.deepEqual(node.status?.conditions?.map((c) => [c.type, c.status, c.reason]), [
    ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
    ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
    ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
    ['Ready', 'True', 'KubeletReady'],
  ]);
});

test('heartbeats move lastHeartbeatTime only; that alone is not a change', () => {
  const first = nodeStatus(cfg, undefined, Date.UTC(2026, 0, 1));
  const later = nodeStatus(cfg, first, Date.UTC(2026, 0, 1, 0, 5));
  const ready = later.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(ready.lastHeartbeatTime, '2026-01-01T00:05:00Z');
  assert.equal(ready.lastTransitionTime, '2026-01-01T00:00:00Z');
  assert.equal(nodeStatusChanged(first, later), false);
  assert.equal(nodeStatusChanged(first, nodeStatus({ ...cfg, capacity: { ...cfg.capacity, pods: '50' } }, first, Date.UTC(2026, 0, 1))), true);
});

test('a real node: not Ready with the CNI message until its network is set up, pressure and images reported', () => {
  const t0 = Date.UTC(2026, 0, 1);
  const waiting = nodeStatus({ ...cfg, networkReady: false, notReady: { reason: 'KubeletNotReady', message: cniNotReadyMessage } }, undefined, t0);
  const ready = waiting.conditions!.find((c) => c.type === 'Ready')!;
  assert.equal(ready.status, 'False');
  assert.match(ready.message ?? '', /cni plugin not initialized/);
  assert.equal(waiting.conditions!.find((c) => c.type === 'NetworkUnavailable')?.status, 'True');
  const up = nodeStatus(
    { ...cfg, networkReady: true, podCIDR: '10.42.0.0/24', pressure: { memory: true, disk: false, pid: false }, images: [{ names: ['busybox:1.35'], sizeBytes: 1000 }] },
    waiting,
    t0 + 1000,
  );
  assert.equal(up.conditions!.find((c) => c.type === 'Ready')?.status, 'True');
  assert.equal(up.conditions!.find((c) => c.type === 'NetworkUnavailable')?.status, 'False');
  const mem = up.conditions!.find((c) => c.type === 'MemoryPressure')!;
  assert.equal(mem.status, 'True');
  assert.equal(mem.reason, 'KubeletHasInsufficientMemory');
  assert.deepEqual(up.images, [{ names: ['busybox:1.35'], sizeBytes: 1000 }]);
  assert.equal(nodeStatusChanged(waiting, up), true);
  assert.equal(registrationNode({ ...cfg, annotations: { 'skiff.dev/local-storage-path': '/x' } }, t0).metadata.annotations?.['skiff.dev/local-storage-path'], '/x');
});
