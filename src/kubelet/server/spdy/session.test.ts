import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { SpdySession } from './session.ts';
import type { SpdyStream } from './stream.ts';

async function socketPair(): Promise<{ a: net.Socket; b: net.Socket; close(): void }> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const accepted = once(server, 'connection') as Promise<[net.Socket]>;
  const a = net.connect(port, '127.0.0.1');
  await once(a, 'connect');
  const [b] = await accepted;
  server.close();
  return { a, b, close: () => (a.destroy(), b.destroy()) };
}

async function readAll(s: SpdyStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

test('client and server sessions: streams with headers, data both ways, half-close, ping', async () => {
  const pair = await socketPair();
  const client = new SpdySession(pair.a, { role: 'client' });
  const server = new SpdySession(pair.b, { role: 'server' });
  // The server upper-cases what it reads, after the client half-closes.
  server.on('stream', (s: SpdyStream) => {
    void s.reply({ accepted: s.headers.streamtype ?? '' });
    void readAll(s).then((text) => {
      s.write(`${s.headers.streamtype}:`);
      s.end(text.toUpperCase());
    });
  });
  const streams = await Promise.all(['one', 'two', 'three'].map((t) => client.openStream({ streamtype: t, port: '80' })));
  assert.deepEqual(streams.map((s) => s.id), [1, 3, 5]);
  assert.equal(streams[1]!.replyHeaders.accepted, 'two');
  const big = 'x'.repeat(200_000); // larger than one window and many frames
  for (const s of streams) {
    s.write('hello ');
    s.end(s.headers.streamtype === 'three' ? big : 'world');
  }
  const answers = await Promise.all(streams.map(readAll));
  assert.deepEqual(answers.slice(0, 2), ['one:HELLO WORLD', 'two:HELLO WORLD']);
  assert.equal(answers[2], `three:HELLO ${big.toUpperCase()}`);
  assert.ok((await client.ping()) >= 0);
  assert.ok((await server.ping()) >= 0);
  await client.close();
  await server.whenClosed;
  assert.equal(server.closed, true);
  pair.close();
});

test('a reset stream ends both sides; streams opened after GOAWAY are refused', async () => {
  const pair = await socketPair();
  const client = new SpdySession(pair.a, { role: 'client' });
  const server = new SpdySession(pair.b, { role: 'server' });
  const seen: SpdyStream[] = [];
  server.on('stream', (s: SpdyStream) => {
    seen.push(s);
    void s.reply();
  });
  const s = await client.openStream({ streamtype: 'data' });
  const reset = once(seen[0]!, 'reset');
  s.reset();
  const [status] = (await reset) as [number];
  assert.equal(status, 5);
  assert.equal(await readAll(seen[0]!), '');

  await server.goAway();
  await once(client, 'goaway');
  await assert.rejects(client.openStream({ streamtype: 'late' }), /GOAWAY/);
  client.destroy();
  await server.whenClosed;
  pair.close();
});

test('a stream nobody accepts is refused; a closed connection fails pending opens', async () => {
  const pair = await socketPair();
  const client = new SpdySession(pair.a, { role: 'client' });
  const server = new SpdySession(pair.b, { role: 'server' });
  await assert.rejects(client.openStream({ streamtype: 'x' }), /reset by the peer \(status 3\)/);
  server.on('stream', () => server.destroy()); // never replies, goes away
  await assert.rejects(client.openStream({ streamtype: 'y' }), /closed before stream 3 was accepted/);
  await client.whenClosed;
  pair.close();
});

test('garbage on the wire closes the session instead of throwing', async () => {
  const pair = await socketPair();
  const lines: string[] = [];
  const server = new SpdySession(pair.b, { role: 'server', log: (l) => lines.push(l) });
  server.on('stream', () => undefined);
  // A SYN_STREAM whose header block is not zlib data.
  pair.a.write(Buffer.from([0x80, 3, 0, 1, 0, 0, 0, 14, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]));
  await server.whenClosed;
  assert.match(lines.join('\n'), /protocol error/);
  pair.close();
});

test('a reader slower than the writer pauses the connection instead of buffering without bound', async () => {
  const pair = await socketPair();
  const client = new SpdySession(pair.a, { role: 'client' });
  const server = new SpdySession(pair.b, { role: 'server' });
  const total = 8 * 1024 * 1024;
  server.on('stream', (s: SpdyStream) => {
    void s.reply();
    s.end(Buffer.alloc(total, 1));
  });
  const s = await client.openStream({ streamtype: 'data' });
  // Nobody reads for a while: the client stops reading its socket past its buffer.
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(pair.a.isPaused(), true);
  assert.ok(s.readableLength <= 2 * 1024 * 1024, `buffered ${s.readableLength}`);
  let got = 0;
  for await (const c of s) got += (c as Buffer).length;
  assert.equal(got, total);
  assert.equal(pair.a.isPaused(), false);
  client.destroy();
  pair.close();
});
