import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { resourceFor } from '../api/scheme.ts';
import type { KubeObject } from '../api/meta.ts';
import { isAlreadyExists, isConflict, isGone, isInvalid, isNotFound, StatusError } from '../machinery/status.ts';
import type { ClientWatchEvent } from './interfaces.ts';
import { RestClient } from './rest-client.ts';
import { startTestCluster, type TestCluster } from './testing/test-cluster.ts';
import { startApiServer } from '../apiserver/server.ts';

const configmaps = resourceFor('', 'v1', 'configmaps')!;
const pods = resourceFor('', 'v1', 'pods')!;
const deployments = resourceFor('apps', 'v1', 'deployments')!;
const namespaces = resourceFor('', 'v1', 'namespaces')!;

const cm = (name: string, data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels: { app: 'x' } },
  data,
});

let cluster: TestCluster;
let client: RestClient;
before(async () => {
  cluster = await startTestCluster();
  client = cluster.client;
});
after(() => cluster.stop());

describe('RestClient', () => {
  it('creates, gets, lists, updates, patches and deletes', async () => {
    const created = await client.create(configmaps, 'default', cm('one', { a: '1' }));
    assert.equal(created.metadata.namespace, 'default');
    assert.ok(created.metadata.uid);
    const got = await client.get<KubeObject>(configmaps, 'default', 'one');
    assert.deepEqual(got.data, { a: '1' });
    const list = await client.list(configmaps, 'default', { labelSelector: 'app=x' });
    assert.equal(list.kind, 'ConfigMapList');
    assert.deepEqual(list.items.map((i) => i.metadata.name), ['one']);
    assert.ok(Number(list.metadata.resourceVersion) > 0);
    const updated = await client.update(configmaps, 'default', { ...got, data: { a: '2' } });
    assert.deepEqual(updated.data, { a: '2' });
    assert.notEqual(updated.metadata.resourceVersion, got.metadata.resourceVersion);
    const merged = await client.patch<KubeObject>(configmaps, 'default', 'one', 'merge', { data: { b: '3' } });
    assert.deepEqual(merged.data, { a: '2', b: '3' });
    const jsonPatched = await client.patch<KubeObject>(configmaps, 'default', 'one', 'json', [{ op: 'remove', path: '/data/a' }]);
    assert.deepEqual(jsonPatched.data, { b: '3' });
    const applied = await client.patch<KubeObject>(configmaps, 'default', 'applied', 'apply', cm('applied', { z: '9' }), { fieldManager: 'test', force: true });
    assert.deepEqual(applied.data, { z: '9' });
    const dry = await client.create(configmaps, 'default', cm('dry'), { dryRun: true });
    assert.equal(dry.metadata.name, 'dry');
    await assert.rejects(client.get(configmaps, 'default', 'dry'), isNotFound);
    await client.delete(configmaps, 'default', 'one');
    await client.delete(configmaps, 'default', 'applied', { propagationPolicy: 'Background' });
    await assert.rejects(client.get(configmaps, 'default', 'one'), isNotFound);
  });

  it('with discardResult, resolves a create or patch with nothing and still rejects with the Status', async () => {
    assert.equal(await client.create(configmaps, 'default', cm('quiet', { a: '1' }), { discardResult: true }), undefined);
    assert.equal(await client.patch(configmaps, 'default', 'quiet', 'merge', { data: { a: '2' } }, { discardResult: true }), undefined);
    assert.equal((await client.get<KubeObject>(configmaps, 'default', 'quiet'))['data']?.['a' as never], '2');
    await assert.rejects(client.create(configmaps, 'default', cm('quiet'), { discardResult: true }), (e) => isAlreadyExists(e));
    await assert.rejects(client.patch(configmaps, 'default', 'absent', 'merge', {}, { discardResult: true }), (e) => isNotFound(e));
  });

  it('rebuilds the server Status as a StatusError', async () => {
    await client.create(configmaps, 'default', cm('dup'));
    const err = await client.create(configmaps, 'default', cm('dup')).catch((e: unknown) => e);
    assert.ok(err instanceof StatusError);
    assert.ok(isAlreadyExists(err));
    assert.equal(err.code, 409);
    assert.match(err.message, /configmaps "dup" already exists/);
    const stale = await client.get<KubeObject>(configmaps, 'default', 'dup');
    await client.update(configmaps, 'default', { ...stale, data: { x: '1' } });
    await assert.rejects(client.update(configmaps, 'default', { ...stale, data: { x: '2' } }), isConflict);
    const bad = await client
      .create(deployments, 'default', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bad' }, spec: { replicas: -1 } })
      .catch((e: unknown) => e);
    assert.ok(isInvalid(bad));
    assert.equal((bad as StatusError).code, 422);
    assert.ok(((bad as StatusError).status.details?.causes ?? []).length > 0);
    await assert.rejects(client.delete(configmaps, 'default', 'missing'), isNotFound);
    await assert.rejects(client.get(namespaces, undefined, 'nope'), isNotFound);
  });

  it('posts a binding subresource and reads cluster-scoped objects', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    await client.create(pods, 'default', pod);
    await client.postSubresource(pods, 'default', 'p', 'binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'p' },
      target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' },
    });
    const bound = await client.get<KubeObject & { spec: { nodeName?: string } }>(pods, 'default', 'p');
    assert.equal(bound.spec.nodeName, 'node-1');
    const ns = await client.get(namespaces, undefined, 'default');
    assert.equal(ns.kind, 'Namespace');
  });

  it('keeps up with many concurrent requests over pooled connections', async () => {
    const n = 300;
    await Promise.all(Array.from({ length: n }, (_, i) => client.create(configmaps, 'default', cm(`many-${i}`))));
    const list = await client.list(configmaps, 'default', { limit: 100 });
    assert.equal(list.items.length, 100);
    assert.ok(list.metadata.continue);
    const next = await client.list(configmaps, 'default', { limit: 1000, continue: list.metadata.continue! });
    assert.ok(next.items.length >= n - 100);
  });

  it('streams watch events in order and ends quietly on stop', async () => {
    const start = await client.list(configmaps, 'watched');
    const events: ClientWatchEvent[] = [];
    let closed = false;
    const w = client.watch(configmaps, 'watched', { resourceVersion: start.metadata.resourceVersion! }, (ev) => events.push(ev), () => (closed = true));
    await client.create(namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } });
    for (let i = 0; i < 20; i++) await client.create(configmaps, 'watched', cm(`w-${i}`));
    await client.patch(configmaps, 'watched', 'w-3', 'merge', { data: { k: 'v' } });
    await client.delete(configmaps, 'watched', 'w-5');
    await waitFor(() => events.length === 22);
    assert.deepEqual(
      events.slice(0, 20).map((e) => `${e.type} ${e.object.metadata.name}`),
      Array.from({ length: 20 }, (_, i) => `ADDED w-${i}`),
    );
    assert.equal(`${events[20]!.type} ${events[20]!.object.metadata.name}`, 'MODIFIED w-3');
    assert.equal(`${events[21]!.type} ${events[21]!.object.metadata.name}`, 'DELETED w-5');
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.deepEqual(rvs, [...rvs].sort((a, b) => a - b));
    w.stop();
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(closed, false);
  });

  it('ends a watch with timeoutSeconds by calling onClose without an error', async () => {
    const closed = await new Promise<Error | undefined>((resolve) => {
      client.watch(configmaps, 'default', { timeoutSeconds: 1 }, () => {}, resolve);
    });
    assert.equal(closed, undefined);
  });
});

describe('RestClient against a restarted server', () => {
  it('reports a dropped watch, retries pooled connections, and turns a 410 ERROR event into onClose(StatusError)', async () => {
    const c = await startTestCluster();
    try {
      const listed = await c.client.list(configmaps, 'default');
      const lost = new Promise<Error | undefined>((resolve) => c.client.watch(configmaps, 'default', { resourceVersion: listed.metadata.resourceVersion! }, () => {}, resolve));
      await c.restart(async () => {
        // Writes the new server's watch history will not have.
        const other = await startApiServer({ storage: c.storage });
        const oc = new RestClient({ server: other.url });
        await oc.create(configmaps, 'default', cm('while-away'));
        oc.close();
        await other.close();
      });
      assert.ok((await lost) instanceof Error);
      // The pooled keep-alive connection died with the old server: the request must still work.
      const after = await c.client.get<KubeObject>(configmaps, 'default', 'while-away');
      assert.equal(after.metadata.name, 'while-away');
      const err = await new Promise<Error | undefined>((resolve) => c.client.watch(configmaps, 'default', { resourceVersion: listed.metadata.resourceVersion! }, () => {}, resolve));
      assert.ok(isGone(err), String(err));
      assert.equal((err as StatusError).code, 410);
    } finally {
      await c.stop();
    }
  });
});

describe('RestClient.fromKubeconfig', () => {
  it('reads the server and bearer token of the current context', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-kc-'));
    try {
      const path = join(dir, 'kubeconfig.yaml');
      writeFileSync(
        path,
        [
          'apiVersion: v1',
          'kind: Config',
          'current-context: b',
          'clusters:',
          '- {name: ca, cluster: {server: "http://127.0.0.1:1"}}',
          '- {name: cb, cluster: {server: "http://127.0.0.1:6443/"}}',
          'contexts:',
          '- {name: a, context: {cluster: ca, user: ua}}',
          '- {name: b, context: {cluster: cb, user: ub}}',
          'users:',
          '- {name: ua, user: {}}',
          '- {name: ub, user: {token: secret}}',
        ].join('\n'),
      );
      const c = RestClient.fromKubeconfig(path);
      assert.equal(c.server, 'http://127.0.0.1:6443');
      c.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('talks to a real server from its kubeconfig', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-kc-'));
    try {
      const path = join(dir, 'kubeconfig.yaml');
      writeFileSync(path, `apiVersion: v1\nkind: Config\ncurrent-context: x\nclusters: [{name: x, cluster: {server: "${cluster.url}"}}]\ncontexts: [{name: x, context: {cluster: x, user: x}}]\nusers: [{name: x, user: {token: abc}}]\n`);
      const c = RestClient.fromKubeconfig(path);
      const ns = await c.get(namespaces, undefined, 'kube-system');
      assert.equal(ns.metadata.name, 'kube-system');
      c.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('RestClient against a bare HTTP server', () => {
  it('sends the bearer token, and makes a Status from an answer that is not one', async () => {
    const seen: (string | undefined)[] = [];
    const srv = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('overloaded, come back later');
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const dir = mkdtempSync(join(tmpdir(), 'skiff-kc-'));
    try {
      const path = join(dir, 'kubeconfig.yaml');
      const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
      writeFileSync(path, `apiVersion: v1\nkind: Config\ncurrent-context: x\nclusters: [{name: x, cluster: {server: "${url}"}}]\ncontexts: [{name: x, context: {cluster: x, user: x}}]\nusers: [{name: x, user: {token: s3cret}}]\n`);
      const c = RestClient.fromKubeconfig(path);
      const err = await c.get(namespaces, undefined, 'default').catch((e: unknown) => e);
      assert.ok(err instanceof StatusError);
      assert.equal(err.code, 503);
      assert.equal(err.reason, 'ServiceUnavailable');
      assert.equal(err.message, 'overloaded, come back later');
      assert.deepEqual(seen, ['Bearer s3cret']);
      c.close();
    } finally {
      srv.closeAllConnections();
      srv.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('RestClient request headers', () => {
  it('sends Host, Accept, User-Agent on every request and the type and byte length of a body, keeping the connection alive', async () => {
    const seen: { method?: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const srv = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ ...(req.method ? { method: req.method } : {}), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(req.method === 'DELETE' ? '' : '{"kind":"ConfigMap","metadata":{"name":"x"}}');
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    const c = new RestClient({ server: `http://127.0.0.1:${port}/`, userAgent: 'skiff-test', token: 't0k' });
    try {
      await c.get(configmaps, 'default', 'x');
      // Non-ASCII data: Content-Length counts bytes, not characters.
      await c.patch(configmaps, 'default', 'x', 'merge', { data: { greeting: 'grüße ☃' } });
      await c.delete(configmaps, 'default', 'x');
      const [get, patch, del] = seen;
      for (const r of seen) {
        assert.equal(r.headers.host, `127.0.0.1:${port}`);
        assert.equal(r.headers.accept, 'application/json');
        assert.equal(r.headers['user-agent'], 'skiff-test');
        assert.equal(r.headers.authorization, 'Bearer t0k');
        assert.equal(r.headers.connection, 'keep-alive');
      }
      assert.equal(get?.headers['content-length'], undefined);
      assert.equal(get?.headers['content-type'], undefined);
      assert.equal(patch?.method, 'PATCH');
      assert.equal(patch?.headers['content-type'], 'application/merge-patch+json');
      assert.equal(patch?.body, '{"data":{"greeting":"grüße ☃"}}');
      assert.equal(patch?.headers['content-length'], String(Buffer.byteLength(patch.body)));
      assert.equal(del?.headers['content-length'], undefined, 'a DELETE without options has no body');
    } finally {
      c.close();
      srv.closeAllConnections();
      srv.close();
    }
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
