// fieldsV1 nodes must keep sharing V8 hidden classes after thousands of list
// items named by value (pod IPs, owner uids) have passed through the API
// server (see itemsNode in field-set.ts). Sharing is visible only through
// V8's native syntax, so the check runs in a child Node with it enabled.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const here = (file: string) => new URL(file, import.meta.url).href;

// 3,000 pods, each with its own IP as a list item of its kubelet's status
// fields, then two pods with a label key not seen before: the label nodes of
// those two are built after every IP item and must share one hidden class.
const script = `
await import(${JSON.stringify(here('../../api/schema/all.ts'))});
const { updateManagedFields } = await import(${JSON.stringify(here('./update-managed-fields.ts'))});
const count = 3000;
const labelNodes = [];
for (let i = 0; i < count; i++) {
  const label = i < count - 2 ? 'app' : 'first-seen-late';
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p' + i, namespace: 'default', labels: { [label]: 'x' }, uid: 'u' + i, creationTimestamp: 'T' },
    spec: { nodeName: 'n', containers: [{ name: 'app', image: 'busybox' }] },
  };
  const common = { typeName: 'io.k8s.api.core.v1.Pod', apiVersion: 'v1', now: 'T' };
  updateManagedFields({ ...common, old: undefined, updated: pod, manager: 'creator', resetFields: [['status']] });
  const ip = '10.0.' + (i >> 8) + '.' + (i & 255);
  const running = { ...pod, metadata: { ...pod.metadata }, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] } };
  updateManagedFields({ ...common, old: pod, updated: running, manager: 'kubelet', subresource: 'status' });
  const kubelet = running.metadata.managedFields.find((m) => m.manager === 'kubelet').fieldsV1;
  if (!Object.hasOwn(kubelet['f:status']['f:podIPs'], 'k:{"ip":"' + ip + '"}')) throw new Error('no item for ' + ip);
  if (i >= count - 2) labelNodes.push(running.metadata.managedFields.find((m) => m.manager === 'creator').fieldsV1['f:metadata']['f:labels']);
}
console.log(%HaveSameMap(labelNodes[0], labelNodes[1]) ? 'shared' : 'not shared');
`;

test('fieldsV1 nodes built after thousands of distinct list items still share a hidden class', () => {
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'shared');
});
