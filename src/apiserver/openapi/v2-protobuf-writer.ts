// A small protobuf writer: one growing buffer, nested messages written in place.
// A length prefix is known only after its content, so one byte is reserved and
// the content shifted when the length needs more; that copies bytes, never
// allocates per field, which keeps encoding the whole OpenAPI document fast.
// Proto3 rules: scalar fields at their default (empty, 0, false) are left out,
// except where the caller writes a oneof member, which is always present.

const utf8 = new TextEncoder();

const varintSize = (n: number): number => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);

export class ProtoWriter {
  private buf = new Uint8Array(1024);
  private pos = 0;

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** A varint below 2^32 (tags, lengths, bools). */
  private uvarint(n: number): void {
    this.reserve(5);
    let x = n;
    while (x >= 0x80) {
      this.buf[this.pos++] = (x & 0x7f) | 0x80;
      x >>>= 7;
    }
    this.buf[this.pos++] = x;
  }

  private key(field: number, wire: number): void {
    this.uvarint((field << 3) | wire);
  }

  /** Runs `write` for the content of a length-delimited field, then fixes up its length prefix. */
  private delimited(field: number, write: () => void): void {
    this.key(field, 2);
    this.reserve(1);
    const start = ++this.pos;
    write();
    const len = this.pos - start;
    const extra = varintSize(len) - 1;
    if (extra > 0) {
      this.reserve(extra);
      this.buf.copyWithin(start + extra, start, this.pos);
      this.pos += extra;
    }
    let at = start - 1;
    let x = len;
    while (x >= 0x80) {
      this.buf[at++] = (x & 0x7f) | 0x80;
      x >>>= 7;
    }
    this.buf[at] = x;
  }

  private text(field: number, value: string): void {
    this.delimited(field, () => {
      this.reserve(value.length * 3);
      // Most of the document is ASCII: copy it directly, without a subarray per string.
      const start = this.pos;
      for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) {
          this.pos = start + utf8.encodeInto(value, this.buf.subarray(start)).written;
          return;
        }
        this.buf[this.pos++] = c;
      }
    });
  }

  string(field: number, value: unknown): this {
    if (typeof value === 'string' && value !== '') this.text(field, value);
    return this;
  }

  /** A repeated string: one occurrence per element (empty strings included). */
  strings(field: number, values: unknown): this {
    if (Array.isArray(values)) for (const v of values) if (typeof v === 'string') this.text(field, v);
    return this;
  }

  /** A bool; `always` writes false too (a oneof member). */
  bool(field: number, value: unknown, always = false): this {
    if (typeof value !== 'boolean' || (!value && !always)) return this;
    this.key(field, 0);
    this.uvarint(value ? 1 : 0);
    return this;
  }

  int64(field: number, value: unknown): this {
    if (typeof value !== 'number' || !Number.isInteger(value) || value === 0) return this;
    this.key(field, 0);
    // Negative int64 is the two's complement as a 10-byte varint.
    let x = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    while (x >= 0x80n) {
      this.buf[this.pos++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.pos++] = Number(x);
    return this;
  }

  double(field: number, value: unknown): this {
    if (typeof value !== 'number' || value === 0) return this;
    this.key(field, 1);
    this.reserve(8);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat64(this.pos, value, true);
    this.pos += 8;
    return this;
  }

  /** An embedded message, written even when empty (presence matters for messages). */
  message(field: number, write: (w: this) => void): this {
    this.delimited(field, () => write(this));
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
