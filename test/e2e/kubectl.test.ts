// The real kubectl v1.32 against `skiff server --disable-agent`: every verb of
// the API server issue, with the messages kubectl prints.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeKubectl, removeDir, startServer, type RunningServer, ok } from './harness.ts';

let server: RunningServer;
let kubectl: ReturnType<typeof makeKubectl>;
const work = mkdtempSync(join(tmpdir(), 'skiff-kubectl-'));

function file(name: string, text: string): string {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
}

const deployment = (replicas: number, image = 'busybox:1.36') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, tier: front}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - containerPort: 80
`;

const configs = `apiVersion: v1
kind: ConfigMap
metadata:
  name: one
  labels: {set: a}
data: {k: v1}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: two
  labels: {set: b}
data: {k: v2}
`;

describe('kubectl against skiff server', () => {
  before(async () => {
    // The API server alone: no controller acts on what these tests create.
    server = await startServer(['--disable-scheduler', '--disable-controller-manager']);
    kubectl = makeKubectl(server);
  });
  after(async () => {
    await server?.stop();
    if (server) removeDir(server.dataDir);
    removeDir(work);
  });

  test('version reports a 1.32 server', () => {
    const out = JSON.parse(ok(kubectl(['version', '-o', 'json']))) as { serverVersion: { major: string; minor: string } };
    assert.equal(out.serverVersion.major, '1');
    assert.equal(out.serverVersion.minor, '32');
  });

  test('api-resources lists the kinds with short names', () => {
    const out = ok(kubectl(['api-resources']));
    assert.match(out, /deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
    assert.match(out, /pods\s+po\s+v1\s+true\s+Pod/);
    assert.match(out, /namespaces\s+ns\s+v1\s+false\s+Namespace/);
    assert.match(out, /leases\s+coordination.k8s.io\/v1\s+true\s+Lease/);
  });

  test('system namespaces exist from the start', () => {
    const out = ok(kubectl(['get', 'ns']));
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(out, new RegExp(`^${ns}\\s+Active`, 'm'));
  });

  test('create from a multi-document file, then the duplicate is refused', () => {
    const p = file('configs.yaml', configs);
    const out = ok(kubectl(['create', '-f', p]));
    assert.match(out, /configmap\/one created/);
    assert.match(out, /configmap\/two created/);
    const dup = kubectl(['create', '-f', p]);
    assert.notEqual(dup.status, 0);
    assert.match(dup.stderr, /Error from server \(AlreadyExists\).*configmaps "one" already exists/);
  });

  test('apply creates, re-apply of a change says configured, unchanged says unchanged', () => {
    const p = file('web.yaml', deployment(2));
    assert.match(ok(kubectl(['apply', '-f', p])), /deployment.apps\/web created/);
    assert.match(ok(kubectl(['apply', '-f', p])), /deployment.apps\/web unchanged/);
    writeFileSync(p, deployment(3));
    assert.match(ok(kubectl(['apply', '-f', p])), /deployment.apps\/web configured/);
    const replicas = ok(kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}']));
    assert.equal(replicas, '3 2');
  });

  test('get with label and field selectors, output formats and chunking', () => {
    assert.match(ok(kubectl(['get', 'cm', '-l', 'set=a'])), /^one\s+1\s+\S+$/m);
    assert.doesNotMatch(ok(kubectl(['get', 'cm', '-l', 'set=a'])), /^two/m);
    assert.match(ok(kubectl(['get', 'cm', '-l', 'set in (a,b)', '-o', 'name'])), /configmap\/one\nconfigmap\/two/);
    assert.equal(ok(kubectl(['get', 'cm', '--field-selector', 'metadata.name=two', '-o', 'name'])).trim(), 'configmap/two');
    const yaml = ok(kubectl(['get', 'cm', 'one', '-o', 'yaml']));
    assert.match(yaml, /^kind: ConfigMap$/m);
    assert.match(yaml, /resourceVersion: "\d+"/);
    assert.match(yaml, /uid: [0-9a-f-]{36}/);
    const json = JSON.parse(ok(kubectl(['get', 'deploy', 'web', '-o', 'json']))) as { spec: { template: { spec: { containers: { imagePullPolicy: string }[] } } } };
    assert.equal(json.spec.template.spec.containers[0]!.imagePullPolicy, 'IfNotPresent');
    const wide = ok(kubectl(['get', 'deploy', '-o', 'wide']));
    assert.match(wide, /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/);
    assert.match(wide, /web\s+0\/3\s+0\s+0\s+\S+\s+web\s+busybox:1.36\s+app=web/);
    for (let i = 0; i < 7; i++) ok(kubectl(['create', 'configmap', `chunk-${i}`, '--from-literal=a=b']));
    const chunked = ok(kubectl(['get', 'cm', '--chunk-size', '2', '-o', 'name'])).trim().split('\n');
    assert.ok(chunked.includes('configmap/chunk-6') && chunked.includes('configmap/one'), chunked.join(' '));
    assert.equal(new Set(chunked).size, chunked.length, 'no duplicates across pages');
  });

  test('kubectl create sends protobuf and the objects arrive intact', () => {
    ok(kubectl(['create', 'namespace', 'proto']));
    ok(kubectl(['create', 'deployment', 'pd', '--image=busybox:1.36', '--replicas=2', '-n', 'proto']));
    ok(kubectl(['create', 'secret', 'generic', 's1', '--from-literal=password=hunter2', '-n', 'proto']));
    ok(kubectl(['create', 'service', 'clusterip', 'svc1', '--tcp=80:8080', '-n', 'proto']));
    ok(kubectl(['create', 'serviceaccount', 'robot', '-n', 'proto']));
    ok(kubectl(['create', 'job', 'once', '--image=busybox:1.36', '-n', 'proto', '--', 'true']));
    const d = JSON.parse(ok(kubectl(['get', 'deploy', 'pd', '-n', 'proto', '-o', 'json']))) as { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
    assert.equal(d.spec.replicas, 2);
    assert.equal(d.spec.template.spec.containers[0]!.image, 'busybox:1.36');
    const secret = ok(kubectl(['get', 'secret', 's1', '-n', 'proto', '-o', 'jsonpath={.data.password}']));
    assert.equal(Buffer.from(secret, 'base64').toString(), 'hunter2');
    const svc = ok(kubectl(['get', 'svc', 'svc1', '-n', 'proto']));
    assert.match(svc, /svc1\s+ClusterIP\s+10\.43\.\d+\.\d+\s+<none>\s+80\/TCP/);
    assert.match(ok(kubectl(['get', 'job', 'once', '-n', 'proto', '-o', 'jsonpath={.spec.template.spec.containers[0].command}'])), /true/);
  });

  test('describe shows the object', () => {
    const out = ok(kubectl(['describe', 'deploy', 'web']));
    assert.match(out, /Name:\s+web/);
    assert.match(out, /Replicas:\s+3 desired/);
    assert.match(out, /Image:\s+busybox:1.36/);
  });

  test('label and annotate', () => {
    ok(kubectl(['label', 'cm', 'one', 'color=blue']));
    ok(kubectl(['annotate', 'cm', 'one', 'note=hello']));
    assert.equal(ok(kubectl(['get', 'cm', 'one', '-o', 'jsonpath={.metadata.labels.color}/{.metadata.annotations.note}'])), 'blue/hello');
    ok(kubectl(['label', 'cm', 'one', 'color-']));
    assert.equal(ok(kubectl(['get', 'cm', '-l', 'color', '-o', 'name'])).trim(), '');
  });

  test('patch: json, merge and strategic', () => {
    ok(kubectl(['patch', 'cm', 'two', '--type=json', '-p', '[{"op":"replace","path":"/data/k","value":"json"}]']));
    assert.equal(ok(kubectl(['get', 'cm', 'two', '-o', 'jsonpath={.data.k}'])), 'json');
    ok(kubectl(['patch', 'cm', 'two', '--type=merge', '-p', '{"data":{"m":"merged"}}']));
    assert.equal(ok(kubectl(['get', 'cm', 'two', '-o', 'jsonpath={.data.k},{.data.m}'])), 'json,merged');
    // Strategic: containers merge by name, so the sidecar is added beside web.
    ok(kubectl(['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"busybox:1.36"}]}}}}']));
    const names = ok(kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].name}'])).split(' ').sort();
    assert.deepEqual(names, ['side', 'web']);
    const bad = kubectl(['patch', 'cm', 'two', '--type=json', '-p', '[{"op":"test","path":"/data/k","value":"nope"}]']);
    assert.notEqual(bad.status, 0);
  });

  test('scale through the scale subresource', () => {
    assert.match(ok(kubectl(['scale', 'deploy', 'web', '--replicas=5'])), /deployment.apps\/web scaled/);
    assert.equal(ok(kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])), '5');
  });

  test('replace with a stale resourceVersion is a conflict', () => {
    const current = JSON.parse(ok(kubectl(['get', 'cm', 'two', '-o', 'json']))) as { metadata: { resourceVersion: string } };
    ok(kubectl(['label', 'cm', 'two', 'bump=1']));
    const p = file('stale.json', JSON.stringify(current));
    const r = kubectl(['replace', '-f', p]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Operation cannot be fulfilled on configmaps "two": the object has been modified; please apply your changes to the latest version and try again/);
  });

  test('edit with EDITOR set to a script', () => {
    const editor = join(work, 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\nsed -i 's/k: json/k: edited/' "$1"\n`);
    chmodSync(editor, 0o755);
    assert.match(ok(kubectl(['edit', 'cm', 'two'], { env: { EDITOR: editor, KUBE_EDITOR: editor } })), /configmap\/two edited/);
    assert.equal(ok(kubectl(['get', 'cm', 'two', '-o', 'jsonpath={.data.k}'])), 'edited');
  });

  test('get -w sees a later change', async () => {
    const child = spawn('kubectl', ['--kubeconfig', server.kubeconfig, 'get', 'cm', 'one', '-w', '-o', 'jsonpath={.data.k}{"\\n"}'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    child.stdout.on('data', (d: Buffer) => (seen += d.toString()));
    try {
      await waitFor(() => seen.includes('v1'), 10_000, 'the initial state');
      ok(kubectl(['patch', 'cm', 'one', '--type=merge', '-p', '{"data":{"k":"watched"}}']));
      await waitFor(() => seen.includes('watched'), 10_000, 'the change');
    } finally {
      child.kill();
    }
  });

  test('explain answers from the OpenAPI schema', () => {
    const out = ok(kubectl(['explain', 'deployment.spec.replicas']));
    assert.match(out, /KIND:\s+Deployment/);
    assert.match(out, /FIELD:\s+replicas\s+<integer>/);
    assert.match(ok(kubectl(['explain', 'pods.spec.containers'])), /image\s+<string>/);
  });

  test('apply --server-side, and a conflict with another manager', () => {
    const p = file('ssa.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "1"\n`);
    assert.match(ok(kubectl(['apply', '--server-side', '-f', p])), /configmap\/ssa serverside-applied/);
    ok(kubectl(['patch', 'cm', 'ssa', '--type=merge', '-p', '{"data":{"a":"2"}}', '--field-manager=other']));
    const r = kubectl(['apply', '--server-side', '-f', p]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /conflict with "other"/);
    assert.match(ok(kubectl(['apply', '--server-side', '--force-conflicts', '-f', p])), /serverside-applied/);
    assert.equal(ok(kubectl(['get', 'cm', 'ssa', '-o', 'jsonpath={.data.a}'])), '1');
  });

  test('an invalid object gets each bad field', () => {
    const p = file('bad.yaml', deployment(-1).replace('name: web\n  labels', 'name: Bad_Name\n  labels'));
    const r = kubectl(['create', '-f', p]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /The Deployment "Bad_Name" is invalid/);
    assert.match(r.stderr, /metadata.name: Invalid value: "Bad_Name"/);
    assert.match(r.stderr, /spec.replicas: Invalid value: -1: must be greater than or equal to 0/);
  });

  test('a missing object is NotFound', () => {
    const r = kubectl(['get', 'deploy', 'nope']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Error from server \(NotFound\): deployments.apps "nope" not found/);
  });

  test('unknown fields are refused under strict validation', () => {
    const p = file('unknown.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unk\ndatta: {a: b}\n`);
    const r = kubectl(['create', '-f', p]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /unknown field "datta"/);
  });

  test('delete removes, and namespace delete marks Terminating', () => {
    assert.match(ok(kubectl(['delete', 'cm', 'one'])), /configmap "one" deleted/);
    assert.notEqual(kubectl(['get', 'cm', 'one']).status, 0);
    ok(kubectl(['create', 'namespace', 'doomed']));
    ok(kubectl(['delete', 'namespace', 'doomed', '--wait=false']));
    assert.equal(ok(kubectl(['get', 'ns', 'doomed', '-o', 'jsonpath={.status.phase}'])), 'Terminating');
    const r = kubectl(['create', 'configmap', 'late', '-n', 'doomed']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /because it is being terminated/);
    const missing = kubectl(['create', 'configmap', 'x', '-n', 'no-such-ns']);
    assert.match(missing.stderr, /namespaces "no-such-ns" not found/);
  });
});

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
