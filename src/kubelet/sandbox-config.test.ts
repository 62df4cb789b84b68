import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSandboxConfig, podHostname } from './sandbox-config.ts';
import type { Pod } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'skiff-sandbox-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const resolvConf = join(dir, 'resolv.conf');
writeFileSync(resolvConf, '# host\nnameserver 192.0.2.53\nnameserver 192.0.2.54\nsearch corp.example lab.example\noptions ndots:2 timeout:1\n');

const pod = (spec: Partial<Pod['spec']> = {}, name = 'web-0'): Pod => ({
  metadata: { name, namespace: 'shop', uid: 'u-42', labels: { app: 'web' }, annotations: { note: 'x' } },
  spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, protocol: 'UDP', hostPort: 5353, hostIP: '127.0.0.1' }, { containerPort: 9090 }] }], ...spec },
});
const ctx = { nodeName: 'n1', logRoot: '/var/lib/skiff/agent/pod-logs', clusterDNS: ['10.43.0.10'], clusterDomain: 'cluster.local', resolvConf };

test('identity, labels, log directory, host ports', () => {
  const c = buildSandboxConfig(pod(), ctx, 1);
  assert.deepEqual(c.metadata, { name: 'web-0', namespace: 'shop', uid: 'u-42', attempt: 1 });
  assert.equal(c.hostname, 'web-0');
  assert.equal(c.logDirectory, '/var/lib/skiff/agent/pod-logs/shop_web-0_u-42');
  assert.deepEqual(c.labels, { app: 'web', 'io.kubernetes.pod.name': 'web-0', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': 'u-42' });
  assert.deepEqual(c.annotations, { note: 'x' });
  assert.deepEqual(c.portMappings, [
    { protocol: 'TCP', containerPort: 80, hostPort: 8080 },
    { protocol: 'UDP', containerPort: 53, hostPort: 5353, hostIp: '127.0.0.1' },
  ]);
  assert.deepEqual(c.linux?.securityContext?.namespaceOptions, { network: 'POD', pid: 'CONTAINER', ipc: 'POD' });
  assert.equal(buildSandboxConfig(pod(), { nodeName: 'n1' }, 0).logDirectory, undefined);
});

test('hostname: spec.hostname, else the name cut to 63; host network keeps the node name', () => {
  assert.equal(buildSandboxConfig(pod({ hostname: 'db' }), ctx, 0).hostname, 'db');
  assert.equal(podHostname(pod({}, 'a'.repeat(62) + '-bc')), 'a'.repeat(62));
  const hn = buildSandboxConfig(pod({ hostNetwork: true, hostPID: true, hostIPC: true }), ctx, 0);
  assert.equal(hn.hostname, undefined);
  assert.deepEqual(hn.linux?.securityContext?.namespaceOptions, { network: 'NODE', pid: 'NODE', ipc: 'NODE' });
});

test('dns: ClusterFirst, Default, None, dnsConfig merge, host network', () => {
  assert.deepEqual(buildSandboxConfig(pod(), ctx, 0).dnsConfig, {
    servers: ['10.43.0.10'],
    searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'],
    options: ['ndots:5'],
  });
  const host = { servers: ['192.0.2.53', '192.0.2.54'], searches: ['corp.example', 'lab.example'], options: ['ndots:2', 'timeout:1'] };
  assert.deepEqual(buildSandboxConfig(pod({ dnsPolicy: 'Default' }), ctx, 0).dnsConfig, host);
  // No cluster DNS configured: ClusterFirst falls back to the node's resolver.
  assert.deepEqual(buildSandboxConfig(pod(), { nodeName: 'n1', resolvConf }, 0).dnsConfig, host);
  assert.deepEqual(buildSandboxConfig(pod({ hostNetwork: true }), ctx, 0).dnsConfig, host);
  assert.deepEqual(buildSandboxConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), ctx, 0).dnsConfig?.servers, ['10.43.0.10']);
  assert.deepEqual(
    buildSandboxConfig(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '1' }, { name: 'edns0' }] } }), ctx, 0).dnsConfig,
    { servers: ['1.1.1.1'], searches: ['a.example'], options: ['ndots:1', 'edns0'] },
  );
  assert.deepEqual(buildSandboxConfig(pod({ dnsConfig: { nameservers: ['10.43.0.10', '9.9.9.9'], options: [{ name: 'ndots', value: '2' }] } }), ctx, 0).dnsConfig?.options, ['ndots:2']);
  assert.deepEqual(buildSandboxConfig(pod({ dnsConfig: { nameservers: ['10.43.0.10', '9.9.9.9'] } }), ctx, 0).dnsConfig?.servers, ['10.43.0.10', '9.9.9.9']);
  assert.deepEqual(buildSandboxConfig(pod({ dnsPolicy: 'Default' }), { nodeName: 'n', resolvConf: join(dir, 'missing') }, 0).dnsConfig, { servers: [], searches: [], options: [] });
});

test('pod security context and sysctls', () => {
  const p = pod({ securityContext: { runAsUser: 1000, runAsGroup: 2000, supplementalGroups: [3000], fsGroup: 4000, sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] } });
  p.spec.containers.push({ name: 'priv', securityContext: { privileged: true } });
  const linux = buildSandboxConfig(p, ctx, 0).linux;
  assert.deepEqual(linux, {
    securityContext: { namespaceOptions: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' }, runAsUser: 1000, runAsGroup: 2000, supplementalGroups: [3000, 4000], privileged: true },
    sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' },
  });
});
