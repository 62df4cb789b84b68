import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from './args.ts';
import { agentNodeFlags, repeatedFlag } from './agent.ts';

test('node flags: names, ports, endpoint, bridge and repeated insecure registries', () => {
  const argv = ['--node-name', 'n1', '--kubelet-port', '0', '--container-runtime-endpoint', '/run/c.sock', '--cni-bridge', 'sk-x', '--insecure-registry', 'r1:5000', '--insecure-registry=r2:5000,r3:5000'];
  assert.deepEqual(agentNodeFlags(parseArgs(argv), argv), {
    nodeName: 'n1',
    kubeletPort: 0,
    containerRuntimeEndpoint: 'unix:///run/c.sock',
    cniBridge: 'sk-x',
    insecureRegistries: ['r1:5000', 'r2:5000', 'r3:5000'],
  });
  assert.deepEqual(repeatedFlag([], 'x'), []);
});

test('bad node flags say what is wrong', () => {
  const bad = (argv: string[]) => () => agentNodeFlags(parseArgs(argv), argv);
  assert.throws(bad(['--node-name', 'Bad_Name']), /not a valid node name/);
  assert.throws(bad(['--kubelet-port', '70000']), /--kubelet-port must be a port number/);
  assert.throws(bad(['--cni-bridge', 'a-very-long-bridge-name']), /not a valid interface name/);
});

test('registry mirrors and extra node labels, repeated', () => {
  const argv = ['--registry-mirror', 'docker.io=http://127.0.0.1:5000', '--registry-mirror', 'docker.io=http://m2:80', '--node-label', 'tier=edge', '--node-label=zone=a'];
  assert.deepEqual(agentNodeFlags(parseArgs(argv), argv), {
    mirrors: { 'docker.io': ['http://127.0.0.1:5000', 'http://m2:80'] },
    labels: { tier: 'edge', zone: 'a' },
  });
  const bad = (argv: string[]) => () => agentNodeFlags(parseArgs(argv), argv);
  assert.throws(bad(['--registry-mirror', 'docker.io']), /expected REGISTRY=URL/);
  assert.throws(bad(['--node-label', '=x']), /expected KEY=VALUE/);
});

test('mirror hosts and node label keys named like inherited properties are ordinary keys', () => {
  const argv = ['--registry-mirror', 'constructor=http://m:80', '--node-label', '__proto__=x', '--node-label', 'toString=y'];
  const o = agentNodeFlags(parseArgs(argv), argv);
  assert.deepEqual(Object.entries(o.mirrors ?? {}), [['constructor', ['http://m:80']]]);
  // "__proto__" stays a key, for the API server to reject as a label key.
  assert.deepEqual(Object.entries(o.labels ?? {}), [['__proto__', 'x'], ['toString', 'y']]);
});

test('container log rotation flags, and bad values refused with the flag named', () => {
  const argv = ['--container-log-max-size', '2Ki', '--container-log-max-files', '3', '--container-log-monitor-interval', '500ms'];
  assert.deepEqual(agentNodeFlags(parseArgs(argv), argv), { containerLogs: { maxBytes: 2048, maxFiles: 3, periodMs: 500 } });
  const bad = (argv: string[]) => () => agentNodeFlags(parseArgs(argv), argv);
  assert.throws(bad(['--container-log-max-size', 'lots']), /--container-log-max-size "lots" must be a positive size/);
  assert.throws(bad(['--container-log-max-size', '0']), /must be a positive size/);
  assert.throws(bad(['--container-log-max-files', '1']), /--container-log-max-files must be an integer of at least 2, got 1/);
  assert.throws(bad(['--container-log-monitor-interval', 'soon']), /--container-log-monitor-interval: invalid duration/);
});
