// kubectl's port-forward over SPDY (plain upgrade, or tunnelled in WebSocket
// binary messages): the client opens an error stream and a data stream per
// local connection, tied by `requestid`; we accept both, then relay the pair.

import type { SpdySession } from './spdy/session.ts';
import type { SpdyStream } from './spdy/stream.ts';
import { rstStatus } from './spdy/frame.ts';
import type { PortForwardUpstream } from './port-forward-upstream.ts';

type Pair = { error?: SpdyStream; data?: SpdyStream; timer: NodeJS.Timeout };

const pairTimeoutMs = 30_000;

export function servePortForwardSpdy(session: SpdySession, upstream: PortForwardUpstream, log: (line: string) => void): void {
  const pairs = new Map<string, Pair>();
  session.on('stream', (s: SpdyStream) => {
    s.on('error', () => undefined);
    const type = s.headers.streamtype;
    const port = Number(s.headers.port);
    if ((type !== 'error' && type !== 'data') || !Number.isInteger(port) || port < 1 || port > 65535) {
      log(`port-forward: refusing a stream with headers ${JSON.stringify(s.headers)}: needs streamtype error|data and a port 1-65535`);
      s.reset(rstStatus.protocolError);
      return;
    }
    void s.reply();
    // Clients older than requestid send the error stream, then the data stream.
    const id = s.headers.requestid ?? `port-${port}`;
    let pair = pairs.get(id);
    if (!pair) {
      pair = {
        timer: setTimeout(() => {
          pairs.delete(id);
          const lone = pair?.error ?? pair?.data;
          if (pair?.error) pair.error.end(`timed out waiting for the data stream of request ${id}`);
          lone?.reset();
        }, pairTimeoutMs),
      };
      pairs.set(id, pair);
    }
    if (pair[type]) {
      log(`port-forward: a second ${type} stream for request ${id}; resetting it`);
      s.reset(rstStatus.protocolError);
      return;
    }
    pair[type] = s;
    const { error, data } = pair;
    if (!error || !data) return;
    clearTimeout(pair.timer);
    pairs.delete(id);
    void upstream.forward({
      port,
      requestId: id,
      data,
      writeError: (text) => error.write(text),
      end: () => {
        error.end();
        data.end();
      },
    });
  });
  session.once('close', () => {
    for (const p of pairs.values()) clearTimeout(p.timer);
    pairs.clear();
    upstream.close();
  });
}
