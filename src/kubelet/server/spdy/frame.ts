// SPDY/3.1 frames: their in-memory form, and the byte layout of each
// (draft 3.1, section 2). Header blocks are compressed elsewhere
// (header-block.ts); here they are opaque bytes.

export type SpdyHeaders = Record<string, string>;

export const frameType = {
  synStream: 1,
  synReply: 2,
  rstStream: 3,
  settings: 4,
  ping: 6,
  goAway: 7,
  headers: 8,
  windowUpdate: 9,
} as const;

export const rstStatus = {
  protocolError: 1,
  invalidStream: 2,
  refusedStream: 3,
  unsupportedVersion: 4,
  cancel: 5,
  internalError: 6,
  flowControlError: 7,
  streamInUse: 8,
  streamAlreadyClosed: 9,
  frameTooLarge: 11,
} as const;

export const goAwayStatus = { ok: 0, protocolError: 1, internalError: 2 } as const;

export const flagFin = 0x01;
export const flagUnidirectional = 0x02;
export const spdyVersion = 3;
export const maxFrameLength = 0xffffff;

export type SettingsEntry = { flags: number; id: number; value: number };

export type SpdyFrame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'synStream'; streamId: number; associatedId: number; priority: number; fin: boolean; unidirectional: boolean; headers: SpdyHeaders }
  | { type: 'synReply'; streamId: number; fin: boolean; headers: SpdyHeaders }
  | { type: 'rstStream'; streamId: number; status: number }
  | { type: 'settings'; clear: boolean; entries: SettingsEntry[] }
  | { type: 'ping'; id: number }
  | { type: 'goAway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; fin: boolean; headers: SpdyHeaders }
  | { type: 'windowUpdate'; streamId: number; delta: number };

/** A frame cut from the byte stream whose header block (if any) is still compressed. */
export type RawFrame =
  | { control: false; streamId: number; flags: number; payload: Buffer }
  | { control: true; version: number; type: number; flags: number; payload: Buffer };

export class SpdyProtocolError extends Error {}

/** Lays a frame out; `headerBlock` is the compressed header block of SYN_STREAM/SYN_REPLY/HEADERS. */
export function encodeFrame(frame: SpdyFrame, headerBlock?: Buffer): Buffer {
  const block = headerBlock ?? Buffer.alloc(0);
  switch (frame.type) {
    case 'data': {
      const buf = Buffer.alloc(8 + frame.data.length);
      buf.writeUInt32BE(frame.streamId & 0x7fffffff, 0);
      buf.writeUInt32BE(((frame.fin ? flagFin : 0) << 24) | frame.data.length, 4);
      frame.data.copy(buf, 8);
      return buf;
    }
    case 'synStream': {
      const body = Buffer.alloc(10);
      body.writeUInt32BE(frame.streamId & 0x7fffffff, 0);
      body.writeUInt32BE(frame.associatedId & 0x7fffffff, 4);
      body[8] = (frame.priority & 0x7) << 5;
      body[9] = 0; // credential slot
      const flags = (frame.fin ? flagFin : 0) | (frame.unidirectional ? flagUnidirectional : 0);
      return control(frameType.synStream, flags, Buffer.concat([body, block]));
    }
    case 'synReply':
    case 'headers': {
      const id = Buffer.alloc(4);
      id.writeUInt32BE(frame.streamId & 0x7fffffff, 0);
      const t = frame.type === 'synReply' ? frameType.synReply : frameType.headers;
      return control(t, frame.fin ? flagFin : 0, Buffer.concat([id, block]));
    }
    case 'rstStream':
      return control(frameType.rstStream, 0, words(frame.streamId & 0x7fffffff, frame.status));
    case 'settings': {
      const body = Buffer.alloc(4 + 8 * frame.entries.length);
      body.writeUInt32BE(frame.entries.length, 0);
      frame.entries.forEach((e, i) => {
        body.writeUInt32BE((((e.flags & 0xff) << 24) | (e.id & 0xffffff)) >>> 0, 4 + i * 8);
        body.writeUInt32BE(e.value >>> 0, 8 + i * 8);
      });
      return control(frameType.settings, frame.clear ? 0x01 : 0, body);
    }
    case 'ping':
      return control(frameType.ping, 0, words(frame.id >>> 0));
    case 'goAway':
      return control(frameType.goAway, 0, words(frame.lastGoodStreamId & 0x7fffffff, frame.status));
    case 'windowUpdate':
      return control(frameType.windowUpdate, 0, words(frame.streamId & 0x7fffffff, frame.delta & 0x7fffffff));
  }
}

function control(type: number, flags: number, body: Buffer): Buffer {
  if (body.length > maxFrameLength) throw new SpdyProtocolError(`SPDY frame of ${body.length} bytes exceeds the 24-bit length`);
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | spdyVersion, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags << 24) | body.length) >>> 0, 4);
  return Buffer.concat([head, body]);
}

function words(...values: number[]): Buffer {
  const buf = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => buf.writeUInt32BE(v >>> 0, i * 4));
  return buf;
}

/** Cuts frames out of a byte stream that may split or join them arbitrarily. */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  push(chunk: Buffer): RawFrame[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const out: RawFrame[] = [];
    if (this.pendingBytes < 8) return out;
    let buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    let off = 0;
    while (buf.length - off >= 8) {
      const first = buf.readUInt32BE(off);
      const flagsLen = buf.readUInt32BE(off + 4);
      const len = flagsLen & 0xffffff;
      if (buf.length - off < 8 + len) break;
      const payload = buf.subarray(off + 8, off + 8 + len);
      const flags = flagsLen >>> 24;
      if (first & 0x80000000) out.push({ control: true, version: (first >>> 16) & 0x7fff, type: first & 0xffff, flags, payload });
      else out.push({ control: false, streamId: first & 0x7fffffff, flags, payload });
      off += 8 + len;
    }
    buf = buf.subarray(off);
    this.pending = buf.length > 0 ? [buf] : [];
    this.pendingBytes = buf.length;
    return out;
  }
}

/** Turns a raw frame into a frame; `headers` decodes a compressed header block. */
export async function decodeFrame(raw: RawFrame, headers: (block: Buffer) => Promise<SpdyHeaders>): Promise<SpdyFrame | undefined> {
  const p = raw.payload;
  if (!raw.control) return { type: 'data', streamId: raw.streamId, fin: (raw.flags & flagFin) !== 0, data: p };
  if (raw.version !== spdyVersion) throw new SpdyProtocolError(`unsupported SPDY version ${raw.version} (only 3 is spoken)`);
  const need = (n: number): void => {
    if (p.length < n) throw new SpdyProtocolError(`SPDY control frame type ${raw.type} too short: ${p.length} bytes, needs ${n}`);
  };
  const fin = (raw.flags & flagFin) !== 0;
  switch (raw.type) {
    case frameType.synStream:
      need(10);
      return {
        type: 'synStream',
        streamId: p.readUInt32BE(0) & 0x7fffffff,
        associatedId: p.readUInt32BE(4) & 0x7fffffff,
        priority: p[8]! >> 5,
        fin,
        unidirectional: (raw.flags & flagUnidirectional) !== 0,
        headers: await headers(p.subarray(10)),
      };
    case frameType.synReply:
    case frameType.headers:
      need(4);
      return {
        type: raw.type === frameType.synReply ? 'synReply' : 'headers',
        streamId: p.readUInt32BE(0) & 0x7fffffff,
        fin,
        headers: await headers(p.subarray(4)),
      };
    case frameType.rstStream:
      need(8);
      return { type: 'rstStream', streamId: p.readUInt32BE(0) & 0x7fffffff, status: p.readUInt32BE(4) };
    case frameType.settings: {
      need(4);
      const n = p.readUInt32BE(0);
      need(4 + 8 * n);
      const entries: SettingsEntry[] = [];
      for (let i = 0; i < n; i++) {
        const idWord = p.readUInt32BE(4 + i * 8);
        entries.push({ flags: idWord >>> 24, id: idWord & 0xffffff, value: p.readUInt32BE(8 + i * 8) });
      }
      return { type: 'settings', clear: (raw.flags & 0x01) !== 0, entries };
    }
    case frameType.ping:
      need(4);
      return { type: 'ping', id: p.readUInt32BE(0) };
    case frameType.goAway:
      need(4);
      // SPDY/2 peers send no status word; treat it as OK.
      return { type: 'goAway', lastGoodStreamId: p.readUInt32BE(0) & 0x7fffffff, status: p.length >= 8 ? p.readUInt32BE(4) : 0 };
    case frameType.windowUpdate:
      need(8);
      return { type: 'windowUpdate', streamId: p.readUInt32BE(0) & 0x7fffffff, delta: p.readUInt32BE(4) & 0x7fffffff };
    default:
      return undefined; // unknown control frames are ignored (draft 3.1, 2.2.1)
  }
}
