// Relays kubectl's exec/attach WebSocket (the channel.k8s.io protocols) to
// a runtime stream: stdin, resize and (v5) stdin close one way; stdout,
// stderr and the final status the other.

import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import { successStatus, type RuntimeStream } from './runtime-stream.ts';

/** Best first: v5 adds channel 255 (close a stream: stdin EOF), v4 a JSON exit status, v3 resize. */
export const channelProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'] as const;

/** The best protocol of those offered (Sec-WebSocket-Protocol values); undefined when none fits. */
export function pickChannelProtocol(offered: Iterable<string>): string | undefined {
  const set = new Set([...offered].map((p) => p.trim()));
  return channelProtocols.find((p) => set.has(p));
}

const ch = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;

/** Runs the relay until the process ends (or either side goes away). */
export async function relayStream(ws: WebSocket, stream: RuntimeStream, log: (line: string) => void = () => {}): Promise<void> {
  const protocol = ws.protocol;
  const v5 = protocol === 'v5.channel.k8s.io';
  let clientGone = false;
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const buf = isBinary ? raw : Buffer.from(raw);
    if (buf.length < 1) return;
    const data = buf.subarray(1);
    switch (buf[0]) {
      case ch.stdin:
        if (data.length > 0 && stream.stdin && !stream.stdin.writableEnded) stream.stdin.write(data);
        return;
      case ch.resize: {
        const size = parseResize(data);
        if (size) stream.resize(size.width, size.height);
        return;
      }
      case ch.close:
        if (v5 && data[0] === ch.stdin) stream.stdin?.end();
        return;
    }
  });
  ws.on('close', () => {
    clientGone = true;
    stream.close();
  });
  ws.on('error', (e) => log(`stream client error: ${e.message}`));
  stream.stdin?.on('error', (e) => log(`stdin to the runtime failed: ${e.message}`));
  const forward = (r: Readable | undefined, channel: number): Promise<void> => {
    if (!r) return Promise.resolve();
    r.on('data', (chunk: Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), chunk]));
    });
    return finished(r).catch(() => {});
  };
  const outputs = Promise.all([forward(stream.stdout, ch.stdout), forward(stream.stderr, ch.stderr)]);
  const status = await stream.done;
  await outputs;
  if (clientGone || ws.readyState !== ws.OPEN) return;
  const failed = (status as { status?: string }).status === 'Failure';
  if (protocol === 'v4.channel.k8s.io' || v5) {
    ws.send(Buffer.concat([Buffer.from([ch.status]), Buffer.from(JSON.stringify(failed ? status : successStatus))]));
  } else if (failed) {
    ws.send(Buffer.concat([Buffer.from([ch.status]), Buffer.from((status as { message?: string }).message ?? 'command failed')]));
  }
  await new Promise<void>((resolve) => {
    ws.once('close', () => resolve());
    ws.close(1000);
    // A client that never answers the close handshake must not hold us.
    setTimeout(() => {
      ws.terminate();
      resolve();
    }, 5000).unref();
  });
}

function parseResize(data: Buffer): { width: number; height: number } | undefined {
  try {
    const v = JSON.parse(data.toString('utf8')) as { Width?: unknown; Height?: unknown };
    if (typeof v.Width === 'number' && typeof v.Height === 'number') return { width: v.Width, height: v.Height };
  } catch {
    // A bad resize message is ignored, as the kubelet does.
  }
  return undefined;
}
