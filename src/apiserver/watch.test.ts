// Watch semantics over HTTP: resume from a resourceVersion, 410 Expired when it
// is too old, selector transitions, bookmarks, and continue tokens.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startApiServer } from './server.ts';
import { startTestCluster, type TestCluster } from '../client/testing/test-cluster.ts';

let cluster: TestCluster;
const cms = '/api/v1/namespaces/default/configmaps';

before(async () => {
  cluster = await startTestCluster();
});

after(async () => {
  await cluster.stop();
});

async function call(method: string, path: string, body?: unknown, type = 'application/json'): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${cluster.url}${path}`, { method, headers: { 'content-type': type }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

type Event = { type: string; object: { kind?: string; code?: number; reason?: string; metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> } } };

/** Collects watch events until `until` is satisfied or the stream ends. */
function watch(path: string, until: (events: Event[]) => boolean, timeoutMs = 5000): Promise<Event[]> {
  return new Promise((resolve, reject) => {
    const events: Event[] = [];
    const req = request(`${cluster.url}${path}`, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, nl)) as Event);
          buf = buf.slice(nl + 1);
          if (until(events)) {
            req.destroy();
            resolve(events);
            return;
          }
        }
      });
      res.on('end', () => resolve(events));
    });
    req.on('error', (e) => (events.length ? resolve(events) : reject(e)));
    setTimeout(() => {
      req.destroy();
      resolve(events);
    }, timeoutMs);
    req.end();
  });
}

const cm = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { a: '1' } });

test('a watch from a resourceVersion replays exactly the later changes', async () => {
  const a = await call('POST', cms, cm('w-a'));
  const rv = (a.json.metadata as { resourceVersion: string }).resourceVersion;
  await call('POST', cms, cm('w-b'));
  await call('PATCH', `${cms}/w-a`, { data: { a: '2' } }, 'application/merge-patch+json');
  const events = await watch(`${cms}?watch=true&resourceVersion=${rv}`, (e) => e.length >= 2);
  assert.deepEqual(
    events.map((e) => `${e.type} ${e.object.metadata?.name}`),
    ['ADDED w-b', 'MODIFIED w-a'],
  );
});

test('a watch from a resourceVersion older than the cache window gets 410 Expired', async () => {
  // A second API server over the same store: its watch caches begin at today's revision.
  const late = await startApiServer({ storage: cluster.storage });
  const events = await new Promise<Event[]>((resolve, reject) => {
    const req = request(`${late.url}${cms}?watch=true&resourceVersion=1`, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve(text.trim().split('\n').map((l) => JSON.parse(l) as Event)));
    });
    req.on('error', reject);
    req.end();
  });
  await late.close();
  assert.equal(events[0]?.type, 'ERROR');
  assert.equal(events[0]?.object.kind, 'Status');
  assert.equal(events[0]?.object.code, 410);
  assert.equal(events[0]?.object.reason, 'Expired');
});

test('an object leaving a label selector is DELETED for that watcher, and ADDED when it returns', async () => {
  const created = await call('POST', cms, cm('sel', { team: 'a' }));
  const rv = (created.json.metadata as { resourceVersion: string }).resourceVersion;
  const pending = watch(`${cms}?watch=true&labelSelector=team%3Da&resourceVersion=${rv}`, (e) => e.length >= 2);
  await new Promise((r) => setTimeout(r, 100));
  await call('PATCH', `${cms}/sel`, { metadata: { labels: { team: 'b' } } }, 'application/merge-patch+json');
  await call('PATCH', `${cms}/sel`, { metadata: { labels: { team: 'a' } } }, 'application/merge-patch+json');
  const events = await pending;
  assert.deepEqual(events.map((e) => e.type), ['DELETED', 'ADDED']);
});

test('sendInitialEvents ends the initial state with a bookmark', async () => {
  const events = await watch(
    `${cms}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&resourceVersion=`,
    (e) => e.some((x) => x.type === 'BOOKMARK'),
  );
  const bookmark = events.at(-1)!;
  assert.equal(bookmark.type, 'BOOKMARK');
  assert.equal(bookmark.object.metadata?.annotations?.['k8s.io/initial-events-end'], 'true');
  assert.ok(events.slice(0, -1).every((e) => e.type === 'ADDED'));
  assert.ok(events.length > 1);
});

test('pages with limit and continue list every object exactly once', async () => {
  for (let i = 0; i < 7; i++) await call('POST', cms, cm(`page-${i}`, { paged: 'yes' }));
  const names: string[] = [];
  let cont = '';
  let pages = 0;
  do {
    const r = await call('GET', `${cms}?labelSelector=paged%3Dyes&limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
    const list = r.json as { items: { metadata: { name: string } }[]; metadata: { continue?: string } };
    names.push(...list.items.map((i) => i.metadata.name));
    cont = list.metadata.continue ?? '';
    pages++;
  } while (cont && pages < 10);
  assert.deepEqual(names, Array.from({ length: 7 }, (_, i) => `page-${i}`));
  assert.equal(pages, 3);
});

test('an invalid continue token is a 400, not a 500', async () => {
  const r = await call('GET', `${cms}?limit=2&continue=not-a-token`);
  assert.equal(r.status, 400);
});
