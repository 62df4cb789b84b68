import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, type Any } from './test-helpers.ts';

const svc = (): Any => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'https', port: 443, targetPort: 8443 }] },
});

test('a realistic service is valid, as are headless and ExternalName ones', () => {
  assert.deepEqual(check('Service', svc()), []);
  assert.deepEqual(check('Service', { metadata: { name: 'db', namespace: 'default' }, spec: { clusterIP: 'None', selector: { app: 'db' } } }), []);
  assert.deepEqual(check('Service', { metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'example.com' } }), []);
  const np = svc();
  np['spec'].type = 'NodePort';
  np['spec'].ports[0].nodePort = 30080;
  assert.deepEqual(check('Service', np), []);
});

test('service names are DNS-1035 labels', () => {
  const s = svc();
  s['metadata'].name = '1web';
  assert.match(check('Service', s)[0] ?? '', /^metadata\.name: Invalid value: "1web": a DNS-1035 label must consist/);
});

test('ports: required, named when several, unique, in range', () => {
  const s = svc();
  s['spec'].ports = [];
  assert.deepEqual(check('Service', s), ['spec.ports: Required value']);
  const t = svc();
  t['spec'].ports = [{ port: 80 }, { name: 'http', port: 0 }, { name: 'http', port: 81, protocol: 'ICMP', targetPort: 70000 }];
  assert.deepEqual(check('Service', t), [
    'spec.ports[0].name: Required value',
    'spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.ports[2].name: Duplicate value: "http"',
    'spec.ports[2].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    'spec.ports[2].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ]);
});

test('type enum, clusterIP None only for ClusterIP, nodePort only for NodePort', () => {
  const s = svc();
  s['spec'].type = 'Magic';
  assert.deepEqual(check('Service', s), ['spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']);
  const lb = svc();
  lb['spec'].type = 'LoadBalancer';
  lb['spec'].clusterIP = 'None';
  assert.deepEqual(check('Service', lb), ["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services"]);
  const c = svc();
  c['spec'].ports[0].nodePort = 30000;
  assert.deepEqual(check('Service', c), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
  const n = svc();
  n['spec'].type = 'NodePort';
  n['spec'].ports[0].nodePort = 80;
  assert.deepEqual(check('Service', n), ['spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767']);
  assert.deepEqual(check('Service', { metadata: { name: 'e', namespace: 'd' }, spec: { type: 'ExternalName' } }), ['spec.externalName: Required value']);
});

test('clusterIP is immutable', () => {
  const old = svc();
  old['spec'].clusterIP = '10.43.0.10';
  const next = svc();
  next['spec'].clusterIP = '10.43.0.11';
  assert.deepEqual(check('Service', next, old), ['spec.clusterIPs[0]: Invalid value: ["10.43.0.11"]: may not change once set']);
  const headless = svc();
  headless['spec'].clusterIP = 'None';
  headless['spec'].clusterIPs = ['None'];
  assert.deepEqual(check('Service', headless, old), ['spec.clusterIPs[0]: Invalid value: ["None"]: may not change once set']);
  const same = svc();
  same['spec'].clusterIP = '10.43.0.10';
  assert.deepEqual(check('Service', same, old), []);
});
