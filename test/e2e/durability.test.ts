// An acknowledged write survives `kill -9` of the server process: every object
// the API server answered 201 for is there after a restart on the same data dir.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { removeDir, startServer } from './harness.ts';

function post(agent: Agent, url: string, body: unknown): Promise<number> {
  return new Promise((resolve) => {
    const data = JSON.stringify(body);
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    // A request cut off by the kill is simply not acknowledged.
    req.on('error', () => resolve(0));
    req.end(data);
  });
}

test('acknowledged creates survive kill -9 of skiff server', async () => {
  const first = await startServer();
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const acked: string[] = [];
  let next = 0;
  let killed = false;
  const writers = Array.from({ length: 16 }, async () => {
    while (!killed) {
      const name = `durable-${next++}`;
      const code = await post(agent, `${first.url}/api/v1/namespaces/default/configmaps`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name },
        data: { value: name },
      });
      if (code === 201) acked.push(name);
    }
  });
  while (acked.length < 1500) await new Promise((r) => setTimeout(r, 5));
  await first.stop('SIGKILL');
  killed = true;
  await Promise.all(writers);
  agent.destroy();
  assert.ok(acked.length >= 1500);

  const second = await startServer([], first.dataDir);
  try {
    const res = await fetch(`${second.url}/api/v1/namespaces/default/configmaps`);
    const list = (await res.json()) as { items: { metadata: { name: string }; data: { value: string } }[] };
    const present = new Map(list.items.map((i) => [i.metadata.name, i.data.value]));
    const missing = acked.filter((n) => present.get(n) !== n);
    assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged writes were lost`);
  } finally {
    await second.stop();
    removeDir(first.dataDir);
  }
});
