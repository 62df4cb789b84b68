// A SPDY/3.1 session (client or server role) over any Duplex: a TCP socket
// after an HTTP upgrade, or a WebSocket carrying SPDY bytes in binary
// messages. Frames are read and written strictly in order because header
// blocks share one zlib stream per direction.
//
// Flow control is left out on purpose, as Go's spdystream (kubectl and
// containerd) leaves it out: it never sends WINDOW_UPDATE and ignores ours,
// so holding sends to a window would stall every stream at 64 KiB. Sending
// WINDOW_UPDATEs is worse than useless: one arriving after the peer's last
// read makes its close() a TCP RST, which drops the tail of its output
// still in our receive buffer (seen with exec `cat` on 2 MB).

import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { FrameReader, decodeFrame, encodeFrame, goAwayStatus, rstStatus, type RawFrame, type SpdyFrame, type SpdyHeaders } from './frame.ts';
import { HeaderCompressor, HeaderDecompressor } from './header-block.ts';
import { SpdyStream, type StreamPort } from './stream.ts';

export type SpdySessionOptions = { role: 'client' | 'server'; log?: (line: string) => void };

/**
 * Events: 'stream' (SpdyStream opened by the peer; call `reply()` to accept it),
 * 'goaway' (status), 'close'.
 */
export class SpdySession extends EventEmitter {
  readonly role: 'client' | 'server';
  private readonly transport: Duplex;
  private readonly log: (line: string) => void;
  private readonly reader = new FrameReader();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly blocked = new Set<SpdyStream>();
  private readonly pings = new Map<number, { started: number; done: (ms: number | Error) => void }>();
  private nextStreamId: number;
  private nextPingId: number;
  private lastRemoteStreamId = 0;
  private inbox: RawFrame[] = [];
  private draining = false;
  private writeChain: Promise<void> = Promise.resolve();
  private goAwaySent = false;
  private goneAway = false;
  private isClosed = false;
  private gone = false;
  readonly whenClosed: Promise<void>;
  private markClosed!: () => void;

  constructor(transport: Duplex, opts: SpdySessionOptions) {
    super();
    this.role = opts.role;
    this.transport = transport;
    this.log = opts.log ?? (() => undefined);
    this.nextStreamId = opts.role === 'client' ? 1 : 2;
    this.nextPingId = opts.role === 'client' ? 1 : 2;
    this.whenClosed = new Promise((r) => (this.markClosed = r));
    transport.on('data', (chunk: Buffer) => this.onBytes(chunk));
    transport.on('end', () => this.transportGone());
    transport.on('close', () => this.transportGone());
    transport.on('error', (e: Error) => {
      this.log(`spdy: connection error: ${e.message}`);
      this.transportGone();
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get openStreams(): number {
    return this.streams.size;
  }

  /** Opens a stream and resolves once the peer accepts it (SYN_REPLY), as kubectl waits. */
  async openStream(headers: SpdyHeaders, opts: { fin?: boolean; timeoutMs?: number } = {}): Promise<SpdyStream> {
    if (this.isClosed) throw new Error('cannot open a SPDY stream: the connection is closed');
    if (this.goneAway) throw new Error('cannot open a SPDY stream: the peer sent GOAWAY');
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    const stream = new SpdyStream(this.port, id, headers);
    this.streams.set(id, stream);
    void this.send({ type: 'synStream', streamId: id, associatedId: 0, priority: 0, fin: opts.fin ?? false, unidirectional: false, headers });
    if (opts.fin) stream.end();
    const timeoutMs = opts.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`SPDY stream ${JSON.stringify(headers)} was not accepted within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([stream.replied, timeout]);
    } catch (e) {
      stream.reset();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return stream;
  }

  /** Round trip time in ms. */
  ping(): Promise<number> {
    const id = this.nextPingId;
    this.nextPingId = (this.nextPingId + 2) % 0x7fffffff || (this.role === 'client' ? 1 : 2);
    return new Promise((resolve, reject) => {
      this.pings.set(id, { started: Date.now(), done: (r) => (typeof r === 'number' ? resolve(r) : reject(r)) });
      void this.send({ type: 'ping', id });
    });
  }

  sendSettings(entries: { flags: number; id: number; value: number }[]): Promise<void> {
    return this.send({ type: 'settings', clear: false, entries });
  }

  /** Says no more streams will be accepted; existing ones go on. */
  goAway(status: number = goAwayStatus.ok): Promise<void> {
    if (this.goAwaySent) return Promise.resolve();
    this.goAwaySent = true;
    return this.send({ type: 'goAway', lastGoodStreamId: this.lastRemoteStreamId, status });
  }

  /** GOAWAY, then the end of the connection once queued frames are written. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    await this.goAway();
    await this.writeChain;
    this.transport.end();
  }

  destroy(): void {
    this.transport.destroy();
    this.shutdown();
  }

  // --- writing ---

  private readonly port: StreamPort = ((session: SpdySession): StreamPort => ({
    send: (frame) => session.send(frame),
    forget: (id) => void session.streams.delete(id),
    block: (stream) => {
      session.blocked.add(stream);
      session.transport.pause();
    },
    unblock: (stream) => {
      if (session.blocked.delete(stream) && session.blocked.size === 0 && !session.isClosed) session.transport.resume();
    },
    get closed() {
      return session.isClosed;
    },
  }))(this);

  private send(frame: SpdyFrame): Promise<void> {
    if (this.isClosed) return Promise.resolve();
    const written = this.writeChain.then(async () => {
      const block = 'headers' in frame ? await this.compressor.compress(frame.headers) : undefined;
      if (this.isClosed || this.transport.destroyed) return { done: Promise.resolve() };
      const buf = encodeFrame(frame, block);
      let flushed!: () => void;
      const done = new Promise<void>((r) => (flushed = r));
      const ok = this.transport.write(buf, () => flushed());
      if (!ok) await new Promise<void>((r) => {
        const go = (): void => {
          this.transport.off('drain', go);
          this.transport.off('close', go);
          r();
        };
        this.transport.on('drain', go);
        this.transport.on('close', go);
      });
      return { done }; // wrapped: the chain waits for the frame to be queued, not flushed
    });
    this.writeChain = written.then(
      () => undefined,
      (e: Error) => this.log(`spdy: cannot write a ${frame.type} frame: ${e.message}`),
    );
    return written.then(
      (w) => w.done,
      () => undefined,
    );
  }

  // --- reading ---

  private onBytes(chunk: Buffer): void {
    this.inbox.push(...this.reader.push(chunk));
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.inbox.length > 0 && !this.isClosed) {
        const raw = this.inbox.shift()!;
        const frame = await decodeFrame(raw, (b) => this.decompressor.decompress(b));
        if (frame) this.handle(frame);
      }
    } catch (e) {
      this.log(`spdy: protocol error, closing the connection: ${(e as Error).message}`);
      await this.goAway(goAwayStatus.protocolError);
      this.destroy();
    } finally {
      this.draining = false;
      if (this.gone) this.shutdown();
    }
  }

  private handle(frame: SpdyFrame): void {
    switch (frame.type) {
      case 'synStream':
        return this.onSynStream(frame);
      case 'synReply':
        return this.streams.get(frame.streamId)?.onReply(frame.headers, frame.fin);
      case 'headers':
        return this.streams.get(frame.streamId)?.onHeaders(frame.headers, frame.fin);
      case 'data': {
        const stream = this.streams.get(frame.streamId);
        // data racing a reset is ignored, as spdystream does
        return stream?.onData(frame.data, frame.fin);
      }
      case 'rstStream':
        return this.streams.get(frame.streamId)?.onReset(frame.status);
      case 'ping': {
        const mine = (frame.id % 2 === 1) === (this.role === 'client');
        if (!mine) return void this.send({ type: 'ping', id: frame.id });
        const p = this.pings.get(frame.id);
        this.pings.delete(frame.id);
        return p?.done(Date.now() - p.started);
      }
      case 'goAway':
        // Open streams go on until the connection closes. (spdystream's lastGoodStreamId is
        // two below the last stream it took, so refusing streams above it would be wrong.)
        this.goneAway = true;
        this.emit('goaway', frame.status);
        return;
      case 'settings':
      case 'windowUpdate':
        return; // see the note on flow control at the top
    }
  }

  private onSynStream(frame: Extract<SpdyFrame, { type: 'synStream' }>): void {
    const id = frame.streamId;
    const theirs = (id % 2 === 1) === (this.role === 'server');
    if (!theirs || id <= this.lastRemoteStreamId) {
      void this.send({ type: 'rstStream', streamId: id, status: rstStatus.protocolError });
      return;
    }
    this.lastRemoteStreamId = id;
    if (this.goAwaySent || this.listenerCount('stream') === 0) {
      void this.send({ type: 'rstStream', streamId: id, status: rstStatus.refusedStream });
      return;
    }
    const stream = new SpdyStream(this.port, id, frame.headers);
    this.streams.set(id, stream);
    if (frame.fin) stream.onRemoteFin();
    this.emit('stream', stream);
  }

  /** Frames already read are still handled (a header block may be inflating) before streams see the end. */
  private transportGone(): void {
    this.gone = true;
    if (!this.draining) this.shutdown();
  }

  private shutdown(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const s of [...this.streams.values()]) s.onSessionClosed();
    this.streams.clear();
    this.blocked.clear();
    for (const p of this.pings.values()) p.done(new Error('SPDY connection closed before the PING answer'));
    this.pings.clear();
    this.compressor.close();
    this.decompressor.close();
    if (!this.transport.destroyed) this.transport.destroy();
    this.emit('close');
    this.markClosed();
  }
}
