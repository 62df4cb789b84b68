import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import { FakeClock } from '../machinery/clock.ts';
import { expired } from '../machinery/status.ts';
import type { Client, ClientWatchEvent } from './interfaces.ts';
import { Reflector } from './reflector.ts';

const configmaps = resourceFor('', 'v1', 'configmaps')!;
const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/** Only list and watch, scripted: the behaviour under test is the reflector's retry timing. */
function scriptedClient(listFailures: number) {
  const calls: string[] = [];
  let watchers: { onEvent: (ev: ClientWatchEvent) => void; onClose: (err?: Error) => void; rv: string }[] = [];
  let failuresLeft = listFailures;
  const client = {
    list: async () => {
      calls.push('list');
      if (failuresLeft-- > 0) throw new Error('connect ECONNREFUSED');
      return { apiVersion: 'v1', kind: 'ConfigMapList', metadata: { resourceVersion: '10' }, items: [] };
    },
    watch: (_r: unknown, _ns: unknown, opts: { resourceVersion?: string }, onEvent: (ev: ClientWatchEvent) => void, onClose: (err?: Error) => void) => {
      calls.push(`watch ${opts.resourceVersion}`);
      const w = { onEvent, onClose, rv: opts.resourceVersion ?? '' };
      watchers.push(w);
      return { stop: () => (watchers = watchers.filter((x) => x !== w)) };
    },
  } as unknown as Client;
  return { client, calls, current: () => watchers.at(-1)! };
}

it('backs off list failures 100, 200, 400 ms, then watches from the list and resumes from the last event', async () => {
  const clock = new FakeClock();
  const s = scriptedClient(3);
  const seen: string[] = [];
  const r = new Reflector<KubeObject>({
    client: s.client,
    resource: configmaps,
    clock,
    log: () => {},
    sink: { replace: (items, rv) => seen.push(`replace ${items.length} ${rv}`), added: (o) => seen.push(`add ${o.metadata.name}`), modified: () => {}, deleted: () => {} },
  });
  r.start();
  await flush();
  assert.deepEqual(s.calls, ['list']);
  for (const wait of [100, 200, 400]) {
    clock.advance(wait - 1);
    await flush();
    const before = s.calls.length;
    clock.advance(1);
    await flush();
    assert.equal(s.calls.length, before + (wait === 400 ? 2 : 1), `retry after ${wait} ms`);
  }
  assert.deepEqual(s.calls, ['list', 'list', 'list', 'list', 'watch 10']);
  assert.deepEqual(seen, ['replace 0 10']);
  s.current().onEvent({ type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '12' } } });
  s.current().onEvent({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '15' } } });
  assert.deepEqual(seen, ['replace 0 10', 'add a']);
  // A dropped connection: re-watch after the (reset) first back-off from the bookmark's version.
  s.current().onClose(new Error('socket hang up'));
  clock.advance(100);
  await flush();
  assert.equal(s.calls.at(-1), 'watch 15');
  // 410: list again at once.
  s.current().onClose(expired('too old resource version: 15 (20)'));
  await flush();
  assert.deepEqual(s.calls.slice(-2), ['list', 'watch 10']);
  assert.deepEqual(seen.at(-1), 'replace 0 10');
  r.stop();
  clock.advance(60_000);
  await flush();
  assert.equal(s.calls.at(-1), 'watch 10');
});
