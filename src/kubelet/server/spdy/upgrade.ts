// The client half of the SPDY/3.1 upgrade handshake kubectl does: an HTTP
// request with `Upgrade: SPDY/3.1` and one `X-Stream-Protocol-Version` line
// per protocol it speaks (Go's server reads them as separate values, so they
// must not be comma-joined), answered by 101 with the chosen protocol.

import http from 'node:http';
import type { Socket } from 'node:net';
import { SpdySession } from './session.ts';

export type SpdyUpgrade = { session: SpdySession; protocol: string };

export function upgradeToSpdy(
  url: string,
  opts: { protocols: string[]; method?: string; headers?: Record<string, string>; timeoutMs?: number; log?: (line: string) => void },
): Promise<SpdyUpgrade> {
  return new Promise((resolve, reject) => {
    let req: http.ClientRequest;
    try {
      req = http.request(url, {
        method: opts.method ?? 'POST',
        headers: { ...opts.headers, Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': opts.protocols },
        timeout: opts.timeoutMs ?? 30_000,
      });
    } catch (e) {
      return reject(new Error(`cannot reach the streaming server at ${url}: ${(e as Error).message}`));
    }
    req.on('upgrade', (res: http.IncomingMessage, socket: Socket, head: Buffer) => {
      const protocol = String(res.headers['x-stream-protocol-version'] ?? '');
      if (!/spdy\/3\.1/i.test(String(res.headers.upgrade ?? ''))) {
        socket.destroy();
        return reject(new Error(`${url} upgraded to "${res.headers.upgrade}", not SPDY/3.1`));
      }
      socket.setTimeout(0);
      socket.setNoDelay(true);
      if (head.length > 0) socket.unshift(head);
      const session = new SpdySession(socket, { role: 'client', ...(opts.log ? { log: opts.log } : {}) });
      resolve({ session, protocol });
    });
    req.on('response', (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        reject(new Error(`streaming server ${url} refused the SPDY upgrade: HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString().trim()}`)),
      );
      res.on('error', () => undefined);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${opts.timeoutMs ?? 30_000} ms`)));
    req.on('error', (e) => reject(new Error(`cannot reach the streaming server at ${url}: ${e.message}`)));
    req.end();
  });
}
