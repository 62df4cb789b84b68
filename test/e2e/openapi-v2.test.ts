// The real kubectl v1.32 against /openapi/v2 in protobuf: kubectl validates a
// `kind: List` client-side against that document, the only form it asks for.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlAvailable, makeKubectl, removeDir, startServer, type RunningServer, ok } from './harness.ts';

const skip = kubectlAvailable() ? false : 'kubectl is not installed';
if (skip) console.log(`# skipping openapi-v2 e2e: ${skip}`);

let server: RunningServer;
let kubectl: ReturnType<typeof makeKubectl>;
const work = mkdtempSync(join(tmpdir(), 'skiff-openapi-v2-'));

function file(name: string, text: string): string {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
}

const list = (cmExtra: string, containerExtra: string) => `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings}
  data: {mode: fast}
${cmExtra}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web}
  spec:
    replicas: 1
    selector: {matchLabels: {app: web}}
    template:
      metadata: {labels: {app: web}}
      spec:
        containers:
        - name: web
          image: busybox:1.35
          ports: [{containerPort: 80}]
          resources: {limits: {cpu: 1, memory: 64Mi}}
${containerExtra}
`;

describe('kubectl and /openapi/v2 (protobuf)', { skip }, () => {
  before(async () => {
    // The API server alone: nothing needs to act on what these tests create.
    server = await startServer(['--disable-scheduler', '--disable-controller-manager']);
    kubectl = makeKubectl(server);
  });
  after(async () => {
    await server?.stop();
    if (server) removeDir(server.dataDir);
    removeDir(work);
  });

  test('the server answers the protobuf Accept kubectl sends', async () => {
    const kc = readFileSync(server.kubeconfig, 'utf8');
    const token = /token: (\S+)/.exec(kc)?.[1];
    const res = await fetch(`${server.url}/openapi/v2`, {
      headers: { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
    assert.equal(res.status, 200);
    // The dotted form: Go's mime parser in kubectl rejects the `@` of the Accept form.
    assert.equal(res.headers.get('content-type'), 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    const body = new Uint8Array(await res.arrayBuffer());
    // Document.swagger (field 1, length-delimited) comes first: 0x0a, 3, "2.0".
    assert.deepEqual([...body.subarray(0, 5)], [0x0a, 3, 0x32, 0x2e, 0x30]);
  });

  test('apply -f of a List with a ConfigMap and a Deployment creates both', () => {
    const out = ok(kubectl(['apply', '-f', file('list.yaml', list('', ''))]));
    assert.match(out, /configmap\/settings created/);
    assert.match(out, /deployment.apps\/web created/);
    assert.equal(ok(kubectl(['get', 'configmap', 'settings', '-o', 'jsonpath={.data.mode}'])), 'fast');
    assert.equal(ok(kubectl(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].resources.limits.memory}'])), '64Mi');
    // Applying the same List again changes nothing.
    const again = ok(kubectl(['apply', '-f', file('list.yaml', list('', ''))]));
    assert.match(again, /configmap\/settings unchanged/);
    assert.match(again, /deployment.apps\/web unchanged/);
  });

  test('an unknown field in a List item is refused by client-side validation', () => {
    const bad = file('bad.yaml', list('  colour: blue', '          imagePolicy: Always'));
    const r = kubectl(['apply', '-f', bad]);
    assert.notEqual(r.status, 0, r.stdout);
    assert.match(r.stderr, /error validating data/);
    assert.match(r.stderr, /unknown field "colour" in io\.k8s\.api\.core\.v1\.ConfigMap/);
    assert.match(r.stderr, /unknown field "imagePolicy" in io\.k8s\.api\.core\.v1\.Container/);
    // Nothing was changed.
    assert.equal(ok(kubectl(['get', 'configmap', 'settings', '-o', 'jsonpath={.data.mode}'])), 'fast');
    // --validate=false is the escape hatch kubectl names.
    assert.match(r.stderr, /--validate=false/);
  });

  test('a wrongly typed field in a List item is refused too', () => {
    const r = kubectl(['apply', '-f', file('typed.yaml', list('', '').replace('replicas: 1', 'replicas: many'))]);
    assert.notEqual(r.status, 0, r.stdout);
    assert.match(r.stderr, /ValidationError\(Deployment\.spec\.replicas\)/);
  });

  test('get -o yaml | apply -f - round-trips', () => {
    ok(kubectl(['create', 'configmap', 'plain', '--from-literal=a=1']));
    const yaml = ok(kubectl(['get', 'configmaps', '-o', 'yaml']));
    assert.match(yaml, /kind: List/);
    const out = ok(kubectl(['apply', '-f', '-'], { input: yaml }));
    assert.match(out, /configmap\/plain configured/);
    assert.match(out, /configmap\/settings (configured|unchanged)/);
    assert.equal(ok(kubectl(['get', 'configmap', 'plain', '-o', 'jsonpath={.data.a}'])), '1');
    // The objects still apply cleanly from their own output.
    ok(kubectl(['apply', '-f', '-'], { input: ok(kubectl(['get', 'deployment', 'web', '-o', 'yaml'])) }));
  });

  test('explain works from the v3 and the v2 documents', () => {
    assert.match(ok(kubectl(['explain', 'deployment.spec.replicas'])), /replicas\s+<integer>/);
    const v2 = ok(kubectl(['explain', 'configmap.data', '--output=plaintext-openapiv2']));
    assert.match(v2, /data\s+<map\[string\]string>/);
  });
});
