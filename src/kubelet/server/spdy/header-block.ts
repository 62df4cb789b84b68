// SPDY/3 header blocks: a count, then length-prefixed lowercase names and
// values (several values of one name joined by NUL), compressed with zlib
// and the SPDY dictionary. Each direction of a session is ONE zlib stream
// that every block continues, ended by a sync flush, so the compressor and
// decompressor live as long as the session and blocks go through them in
// frame order.

import zlib from 'node:zlib';
import { spdyDictionary } from './dictionary.ts';
import { SpdyProtocolError, type SpdyHeaders } from './frame.ts';

export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [];
  const entries = Object.entries(headers);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(entries.length);
  parts.push(count);
  for (const [name, value] of entries) {
    // Go's framer drops the whole connection on an upper-case name.
    for (const s of [name.toLowerCase(), value]) {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(buf: Buffer): SpdyHeaders {
  const bad = (what: string): never => {
    throw new SpdyProtocolError(`malformed SPDY header block: ${what}`);
  };
  if (buf.length < 4) bad('shorter than its count');
  const n = buf.readUInt32BE(0);
  const out: SpdyHeaders = {};
  let off = 4;
  const str = (): string => {
    if (off + 4 > buf.length) bad('truncated length');
    const len = buf.readUInt32BE(off);
    off += 4;
    if (off + len > buf.length) bad('truncated string');
    const s = buf.toString('utf8', off, off + len);
    off += len;
    return s;
  };
  for (let i = 0; i < n; i++) {
    const name = str().toLowerCase();
    const value = str();
    out[name] = name in out ? `${out[name]}\0${value}` : value;
  }
  return out;
}

/** Runs zlib work one block at a time: each result is the output of one sync flush. */
class ZlibPump {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly z: zlib.Deflate | zlib.Inflate;
  private failure: Error | undefined;

  constructor(z: zlib.Deflate | zlib.Inflate) {
    this.z = z;
    z.on('error', (e: Error) => (this.failure = e));
  }

  run(input: Buffer): Promise<Buffer> {
    const next = this.chain.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (this.failure) return reject(this.failure);
          const chunks: Buffer[] = [];
          const onData = (c: Buffer): void => void chunks.push(c);
          const onError = (e: Error): void => {
            this.z.off('data', onData);
            reject(e);
          };
          this.z.on('data', onData);
          this.z.once('error', onError);
          this.z.write(input);
          this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            this.z.off('data', onData);
            this.z.off('error', onError);
            if (this.failure) reject(this.failure);
            else resolve(Buffer.concat(chunks));
          });
        }),
    );
    this.chain = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.z.close();
  }
}

export class HeaderCompressor {
  private readonly pump = new ZlibPump(zlib.createDeflate({ dictionary: spdyDictionary, level: 6 }));

  compress(headers: SpdyHeaders): Promise<Buffer> {
    return this.pump.run(encodeHeaderBlock(headers));
  }

  close(): void {
    this.pump.close();
  }
}

export class HeaderDecompressor {
  private readonly pump = new ZlibPump(zlib.createInflate({ dictionary: spdyDictionary }));

  async decompress(block: Buffer): Promise<SpdyHeaders> {
    let plain: Buffer;
    try {
      plain = await this.pump.run(block);
    } catch (e) {
      throw new SpdyProtocolError(`cannot inflate a SPDY header block: ${(e as Error).message}`);
    }
    return decodeHeaderBlock(plain);
  }

  close(): void {
    this.pump.close();
  }
}
