// exec/attach for clients that speak SPDY (kubectl with WebSockets turned
// off, older client-go): after the 101, the client opens one stream per
// standard stream, named by its `streamtype` header; we accept them and
// relay to the runtime stream. The exit status goes on the error stream.

import type { Duplex, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { SpdySession } from './spdy/session.ts';
import type { SpdyStream } from './spdy/stream.ts';
import { successStatus, type RuntimeStream } from './runtime-stream.ts';
import type { StreamFlags } from './stream-request.ts';

/** Best first. v5 adds nothing over SPDY (it has its own half-close), so v4 leads. */
export const spdyChannelProtocols = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'] as const;

export function pickSpdyProtocol(offered: string[]): string | undefined {
  const set = new Set(offered);
  return spdyChannelProtocols.find((p) => set.has(p));
}

const streamWaitMs = 30_000;

/** Answers the 101, then relays until the process ends. */
export async function relaySpdy(socket: Duplex, head: Buffer, protocol: string, flags: StreamFlags, stream: RuntimeStream, log: (line: string) => void): Promise<void> {
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${protocol}\r\n\r\n`);
  if (head.length > 0) socket.unshift(head);
  const session = new SpdySession(socket, { role: 'server', log });
  const resizable = flags.tty && protocol !== 'v2.channel.k8s.io' && protocol !== 'channel.k8s.io';
  const expected = new Set<string>(['error']);
  if (flags.stdin) expected.add('stdin');
  if (flags.stdout) expected.add('stdout');
  if (flags.stderr && !flags.tty) expected.add('stderr');
  if (resizable) expected.add('resize');
  const got = new Map<string, SpdyStream>();
  let allThere!: () => void;
  const arrived = new Promise<void>((r) => (allThere = r));
  const outputs: Promise<void>[] = [];
  const pipeOut = (from: Readable | undefined, to: SpdyStream): void => {
    if (!from) return void to.end();
    from.pipe(to);
    // Our half only: the client never ends its side of an output stream.
    outputs.push(finished(to, { readable: false }).catch(() => {}));
  };
  session.on('stream', (s: SpdyStream) => {
    s.on('error', () => undefined);
    const type = s.headers.streamtype ?? '';
    if (!expected.has(type) || got.has(type)) {
      log(`exec over SPDY: unexpected stream ${JSON.stringify(s.headers)}; resetting it`);
      s.reset();
      return;
    }
    void s.reply();
    got.set(type, s);
    if (type === 'stdin' && stream.stdin) s.pipe(stream.stdin);
    else if (type === 'stdout') pipeOut(stream.stdout, s);
    else if (type === 'stderr') pipeOut(stream.stderr, s);
    else if (type === 'resize') readResizes(s, (w, h) => stream.resize(w, h));
    if (got.size === expected.size) allThere();
  });
  let clientGone = false;
  session.once('close', () => {
    clientGone = true;
    allThere();
    stream.close();
  });
  const timer = setTimeout(() => {
    log(`exec over SPDY: the client opened [${[...got.keys()].join(' ')}] of [${[...expected].join(' ')}] in ${streamWaitMs / 1000} s; giving up`);
    stream.close();
    session.destroy();
  }, streamWaitMs);
  await arrived;
  clearTimeout(timer);
  const status = await stream.done;
  await Promise.all(outputs);
  if (clientGone) return;
  const error = got.get('error');
  if (error) {
    const failed = (status as { status?: string }).status === 'Failure';
    if (protocol === 'v4.channel.k8s.io') error.write(JSON.stringify(failed ? status : successStatus));
    else if (failed) error.write((status as { message?: string }).message ?? 'command failed');
    error.end();
  }
  // The client hangs up once it has the status; close ourselves only if it does not.
  if (!clientGone) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 5000);
      t.unref();
      session.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
  if (!clientGone) await session.close().catch(() => {});
}

/** Go's client writes a stream of JSON objects ({"Width":…,"Height":…}) on the resize stream. */
function readResizes(s: Readable, resize: (w: number, h: number) => void): void {
  let buf = '';
  s.on('data', (chunk: Buffer) => {
    buf += chunk.toString('utf8');
    for (;;) {
      const end = buf.indexOf('}');
      if (end < 0) return;
      const one = buf.slice(0, end + 1);
      buf = buf.slice(end + 1);
      try {
        const v = JSON.parse(one.trim()) as { Width?: unknown; Height?: unknown };
        if (typeof v.Width === 'number' && typeof v.Height === 'number') resize(v.Width, v.Height);
      } catch {
        // A malformed message is dropped; the next one starts after it.
      }
    }
  });
}
