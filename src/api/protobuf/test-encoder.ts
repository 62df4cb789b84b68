// Test-only protobuf writer: builds messages by hand, field by field, so the
// decoder is checked against the wire format and not against itself.

import { protobufMagic } from './decode.ts';

function varint(v: bigint): number[] {
  let x = BigInt.asUintN(64, v);
  const out: number[] = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x !== 0n) b |= 0x80;
    out.push(b);
  } while (x !== 0n);
  return out;
}

const key = (tag: number, wire: number): number[] => varint(BigInt((tag << 3) | wire));

export const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

export const bytesField = (tag: number, data: Uint8Array): Uint8Array =>
  concat(new Uint8Array([...key(tag, 2), ...varint(BigInt(data.length))]), data);
export const str = (tag: number, s: string): Uint8Array => bytesField(tag, new TextEncoder().encode(s));
export const int = (tag: number, n: number | bigint): Uint8Array => new Uint8Array([...key(tag, 0), ...varint(BigInt(n))]);
export const bool = (tag: number, b: boolean): Uint8Array => int(tag, b ? 1 : 0);
export const double = (tag: number, d: number): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, d, true);
  return concat(new Uint8Array(key(tag, 1)), b);
};
/** An embedded message. */
export const msg = (tag: number, ...fields: Uint8Array[]): Uint8Array => bytesField(tag, concat(...fields));
/** One map<string, X> entry; `value` is the encoded field 2 (or nothing). */
export const entry = (tag: number, k: string, ...value: Uint8Array[]): Uint8Array => msg(tag, str(1, k), ...value);
export const stringEntry = (tag: number, k: string, v: string): Uint8Array => entry(tag, k, str(2, v));
export const packed = (tag: number, values: number[]): Uint8Array =>
  bytesField(tag, new Uint8Array(values.flatMap((v) => varint(BigInt(v)))));

/** The full body: magic, then runtime.Unknown{typeMeta, raw}. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array, extra?: Uint8Array): Uint8Array {
  const unknown = concat(msg(1, str(1, apiVersion), str(2, kind)), bytesField(2, raw), extra ?? new Uint8Array(0));
  return concat(protobufMagic, unknown);
}
