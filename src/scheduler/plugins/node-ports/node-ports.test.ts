import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterAll, nodeInfo, podInfo, Snapshot } from '../../testing/fixtures.ts';
import { makePod } from '../../testing/cluster.ts';
import { nodePorts } from './node-ports.ts';

const withPort = (name: string, port: number, protocol = 'TCP', hostIP?: string) =>
  makePod(name, { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: port, protocol, ...(hostIP ? { hostIP } : {}) }] }] } });

test('a host port is used once per node, per protocol and IP', () => {
  const snap = Snapshot.of([nodeInfo('free'), nodeInfo('taken', {}, [withPort('x', 8080)]), nodeInfo('udp', {}, [withPort('y', 8080, 'UDP')]), nodeInfo('ip', {}, [withPort('z', 8080, 'TCP', '10.0.0.1')])]);
  const r = filterAll(nodePorts(), podInfo('p', { spec: withPort('p', 8080).spec! }), snap);
  assert.deepEqual(r.passed, ['free', 'udp']);
  assert.equal(r.rejected.get('taken')?.reasons, "node(s) didn't have free ports for the requested pod ports");
  const other = filterAll(nodePorts(), podInfo('q', { spec: withPort('q', 8080, 'TCP', '10.0.0.2').spec! }), snap);
  assert.deepEqual(other.passed, ['free', 'udp', 'ip']);
  assert.equal(filterAll(nodePorts(), podInfo('none'), snap).passed.length, 4);
});
