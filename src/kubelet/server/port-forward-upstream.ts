// The runtime side of port forwarding: containerd's streaming server speaks
// the same SPDY port-forward protocol kubectl does (a pair of streams per
// connection: `streamtype` error and data, with `port` and `requestid`). One
// upstream SPDY connection serves all the pairs of one client connection;
// its URL is one-use, so a closed one is replaced by asking the runtime again.

import type { Duplex } from 'node:stream';
import type { RuntimeService } from '../runtime/runtime.ts';
import type { SpdySession } from './spdy/session.ts';
import { upgradeToSpdy } from './spdy/upgrade.ts';

export type PortForwardTarget = { runtime: RuntimeService; podSandboxId: string; log(line: string): void };

/** How long a connection whose client went away still waits for the runtime's error text. */
const errorGraceMs = 2000;

/** One forwarded connection as seen from the client side: bytes both ways, and a sink for error text. */
export type ForwardedConnection = { port: number; requestId: string; data: Duplex; writeError(text: string): void; end(): void };

export class PortForwardUpstream {
  private readonly target: PortForwardTarget;
  private session: Promise<SpdySession> | undefined;
  private closed = false;

  constructor(target: PortForwardTarget) {
    this.target = target;
  }

  /** Relays one connection to the pod's port until both sides are done. Never throws. */
  async forward(conn: ForwardedConnection): Promise<void> {
    const { port, requestId } = conn;
    const what = `port ${port} of sandbox ${this.target.podSandboxId.slice(0, 12)}`;
    try {
      const session = await this.connect(port);
      const headers = { port: String(port), requestid: requestId };
      const upError = await session.openStream({ ...headers, streamtype: 'error' });
      upError.end(); // only the runtime writes on the error stream
      const upData = await session.openStream({ ...headers, streamtype: 'data' });
      const errorText: Buffer[] = [];
      upError.on('data', (c: Buffer) => errorText.push(c));
      const errorDone = new Promise<void>((r) => upError.once('end', r).once('close', r));
      const dataDone = new Promise<void>((r) => upData.once('end', r).once('close', r));
      upData.on('error', () => undefined);
      upError.on('error', () => undefined);
      conn.data.on('error', () => upData.destroy());
      conn.data.pipe(upData); // client EOF → FIN upstream: the pod sees the half-close
      upData.pipe(conn.data);
      // A client that went away (its stream destroyed) stops the relay too, once the runtime's
      // error text (which may trail the data stream's end) had a moment to arrive.
      const clientGone = new Promise<void>((r) => conn.data.once('close', r)).then(() =>
        Promise.race([errorDone, new Promise<void>((r) => setTimeout(r, errorGraceMs).unref())]),
      );
      await Promise.race([Promise.all([dataDone, errorDone]), clientGone]);
      const text = Buffer.concat(errorText).toString('utf8');
      if (text) {
        this.target.log(`port-forward: ${what}: ${text}`);
        conn.writeError(text);
      }
    } catch (e) {
      const message = `error forwarding ${what}: ${(e as Error).message}`;
      this.target.log(`port-forward: ${message}`);
      conn.writeError(message);
    }
    conn.end();
  }

  close(): void {
    this.closed = true;
    void this.session?.then((s) => s.destroy(), () => undefined);
  }

  private async connect(port: number): Promise<SpdySession> {
    if (this.closed) throw new Error('the port-forward connection is closed');
    const current = this.session ? await this.session.catch(() => undefined) : undefined;
    if (current && !current.closed) return current;
    this.session = (async () => {
      const { url } = await this.target.runtime.portForward({ podSandboxId: this.target.podSandboxId, port: [port] });
      const { session, protocol } = await upgradeToSpdy(url, { protocols: ['portforward.k8s.io'], log: this.target.log });
      if (protocol !== 'portforward.k8s.io') {
        session.destroy();
        throw new Error(`the runtime's streaming server answered protocol "${protocol}", expected portforward.k8s.io`);
      }
      if (this.closed) session.destroy();
      return session;
    })();
    return this.session;
  }
}
