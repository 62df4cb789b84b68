// One SPDY stream as a Node Duplex. Writing sends DATA frames; end() sends
// an empty DATA frame with FIN (half-close: the peer's reader sees EOF while
// we can still read — `kubectl cp` into a pod depends on that for stdin).
// The peer's FIN ends the readable side; RST_STREAM ends both, like Go's
// spdystream, so data already received is still delivered.

import { Duplex } from 'node:stream';
import { rstStatus, type SpdyFrame, type SpdyHeaders } from './frame.ts';

/** What a stream needs from its session. */
export type StreamPort = {
  send(frame: SpdyFrame): Promise<void>;
  forget(id: number): void;
  /** Stop / go on reading the connection for this stream's reader (back-pressure). */
  block(stream: SpdyStream): void;
  unblock(stream: SpdyStream): void;
  readonly closed: boolean;
};

// Past this much unread data on one stream the whole connection stops being
// read (as with Go's spdystream, whose frame handler blocks): memory stays
// bounded when a reader is slower than the writer.
const readBuffer = 1 << 20;

const maxDataFrame = 32 * 1024;

export class SpdyStream extends Duplex {
  readonly id: number;
  /** The SYN_STREAM headers (ours for streams we opened, the peer's otherwise). */
  readonly headers: SpdyHeaders;
  replyHeaders: SpdyHeaders = {};
  /** Resolves when the peer's SYN_REPLY arrives; rejects on RST_STREAM or a closed session before it. */
  readonly replied: Promise<void>;
  private readonly port: StreamPort;
  private localFin = false;
  private remoteFin = false;
  private wasReset = false;
  private isReplied = false;
  private settleReply!: (err?: Error) => void;

  constructor(port: StreamPort, id: number, headers: SpdyHeaders) {
    super({ allowHalfOpen: true, readableHighWaterMark: readBuffer });
    this.port = port;
    this.id = id;
    this.headers = headers;
    this.replied = new Promise<void>((resolve, reject) => {
      this.settleReply = (err) => (err ? reject(err) : resolve());
    });
    this.replied.catch(() => undefined); // callers that never wait must not see an unhandled rejection
  }

  /** Accepts a stream the peer opened. */
  reply(headers: SpdyHeaders = {}, fin = false): Promise<void> {
    if (fin) this.localFin = true;
    const p = this.port.send({ type: 'synReply', streamId: this.id, fin, headers });
    this.maybeForget();
    return p;
  }

  /** Aborts the stream in both directions (RST_STREAM). */
  reset(status: number = rstStatus.cancel): void {
    if (!this.wasReset && !(this.localFin && this.remoteFin)) {
      void this.port.send({ type: 'rstStream', streamId: this.id, status });
    }
    this.markReset();
    this.destroy();
  }

  get remoteEnded(): boolean {
    return this.remoteFin;
  }

  override _read(): void {
    // Data is pushed as frames arrive; reading again after a pause resumes the connection.
    this.port.unblock(this);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.localFin || this.port.closed) return cb(); // the peer is gone: drop, as Go's streams do
    const sends: Promise<void>[] = [];
    for (let off = 0; off < chunk.length; off += maxDataFrame) {
      sends.push(this.port.send({ type: 'data', streamId: this.id, fin: false, data: chunk.subarray(off, off + maxDataFrame) }));
    }
    Promise.all(sends).then(() => cb(), cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (this.localFin || this.port.closed) {
      this.localFin = true;
      return cb();
    }
    this.localFin = true;
    this.port.send({ type: 'data', streamId: this.id, fin: true, data: Buffer.alloc(0) }).then(() => cb(), cb);
    this.maybeForget();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.wasReset && !(this.localFin && this.remoteFin) && !this.port.closed) {
      void this.port.send({ type: 'rstStream', streamId: this.id, status: rstStatus.cancel });
    }
    this.markReset();
    cb(err);
  }

  // --- called by the session ---

  onReply(headers: SpdyHeaders, fin: boolean): void {
    this.replyHeaders = headers;
    this.isReplied = true;
    this.settleReply();
    if (fin) this.onRemoteFin();
  }

  onHeaders(headers: SpdyHeaders, fin: boolean): void {
    Object.assign(this.replyHeaders, headers);
    this.emit('headers', headers);
    if (fin) this.onRemoteFin();
  }

  onData(data: Buffer, fin: boolean): void {
    if (this.remoteFin) return;
    if (data.length > 0 && !this.push(data)) this.port.block(this);
    if (fin) this.onRemoteFin();
  }

  onRemoteFin(): void {
    if (this.remoteFin) return;
    this.remoteFin = true;
    this.push(null);
    this.maybeForget();
  }

  onReset(status: number): void {
    if (!this.isReplied) this.settleReply(new Error(`SPDY stream ${this.id} was reset by the peer (status ${status})`));
    this.markReset();
    this.emit('reset', status);
  }

  onSessionClosed(): void {
    if (!this.isReplied) this.settleReply(new Error(`SPDY connection closed before stream ${this.id} was accepted`));
    this.markReset();
  }

  private markReset(): void {
    this.port.unblock(this);
    this.wasReset = true;
    this.localFin = true;
    if (!this.remoteFin) {
      this.remoteFin = true;
      if (!this.destroyed) this.push(null);
    }
    this.port.forget(this.id);
  }

  private maybeForget(): void {
    if (this.localFin && this.remoteFin) this.port.forget(this.id);
  }
}
