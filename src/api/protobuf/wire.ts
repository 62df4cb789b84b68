// Low-level protobuf wire reading: tags, varints, length-delimited slices.
// Every failure is a WireError carrying a short reason; decode.ts turns it into a 400.

export class WireError extends Error {
  override name = 'WireError';
}

export const WireType = { Varint: 0, Fixed64: 1, Bytes: 2, StartGroup: 3, EndGroup: 4, Fixed32: 5 } as const;

/** One field occurrence; `data` is the slice for Bytes, `value` the number for the others. */
export type WireField =
  | { tag: number; wire: 0; value: bigint }
  | { tag: number; wire: 1; bits: Uint8Array }
  | { tag: number; wire: 2; data: Uint8Array }
  | { tag: number; wire: 5; bits: Uint8Array };

export class WireReader {
  private pos = 0;
  private readonly buf: Uint8Array;
  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** A varint as an unsigned 64-bit bigint. */
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new WireError('truncated varint');
      const b = this.buf[this.pos++] as number;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new WireError('varint longer than 10 bytes');
  }

  /** A small varint (tags, lengths) as a number. */
  length(): number {
    const v = this.varint();
    if (v > BigInt(this.buf.length)) throw new WireError(`length ${v} beyond the end of the message`);
    return Number(v);
  }

  take(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new WireError('truncated message');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  field(): WireField {
    const key = this.varint();
    const tag = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (tag === 0 || tag > 536870911) throw new WireError(`invalid field number ${tag}`);
    switch (wire) {
      case WireType.Varint:
        return { tag, wire, value: this.varint() };
      case WireType.Fixed64:
        return { tag, wire, bits: this.take(8) };
      case WireType.Bytes:
        return { tag, wire, data: this.take(this.length()) };
      case WireType.Fixed32:
        return { tag, wire, bits: this.take(4) };
      default:
        // Groups are never used by Kubernetes' generated.proto.
        throw new WireError(`unsupported wire type ${wire} for field ${tag}`);
    }
  }
}

/** Every field of a message, in wire order. */
export function readFields(buf: Uint8Array): WireField[] {
  const r = new WireReader(buf);
  const out: WireField[] = [];
  while (!r.done()) out.push(r.field());
  return out;
}

/** The varints of a packed repeated field. */
export function readPacked(buf: Uint8Array): bigint[] {
  const r = new WireReader(buf);
  const out: bigint[] = [];
  while (!r.done()) out.push(r.varint());
  return out;
}

const utf8 = new TextDecoder('utf-8');
export const decodeUtf8 = (b: Uint8Array): string => utf8.decode(b);
