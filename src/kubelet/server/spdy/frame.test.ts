import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameReader, decodeFrame, encodeFrame, type SpdyFrame } from './frame.ts';
import { HeaderCompressor, HeaderDecompressor } from './header-block.ts';

const frames: SpdyFrame[] = [
  { type: 'data', streamId: 7, fin: false, data: Buffer.from('hello') },
  { type: 'data', streamId: 0x7ffffffd, fin: true, data: Buffer.alloc(0) },
  { type: 'synStream', streamId: 1, associatedId: 0, priority: 3, fin: false, unidirectional: false, headers: { streamtype: 'error', port: '80', requestid: '0' } },
  { type: 'synStream', streamId: 3, associatedId: 1, priority: 7, fin: true, unidirectional: true, headers: {} },
  { type: 'synReply', streamId: 1, fin: false, headers: { status: '200 OK', 'x-multi': 'a\0b' } },
  { type: 'headers', streamId: 1, fin: true, headers: { trailer: 'yes' } },
  { type: 'rstStream', streamId: 5, status: 5 },
  { type: 'settings', clear: true, entries: [{ flags: 1, id: 7, value: 65536 }, { flags: 0, id: 4, value: 100 }] },
  { type: 'ping', id: 0xfffffffe },
  { type: 'goAway', lastGoodStreamId: 9, status: 2 },
  { type: 'windowUpdate', streamId: 0, delta: 0x7fffffff },
];

test('every frame type survives encode, split delivery and decode', async () => {
  const compressor = new HeaderCompressor();
  const decompressor = new HeaderDecompressor();
  const bytes: Buffer[] = [];
  for (const f of frames) bytes.push(encodeFrame(f, 'headers' in f ? await compressor.compress(f.headers) : undefined));
  const all = Buffer.concat(bytes);
  // Deliver one byte at a time: the reader must reassemble frames.
  const reader = new FrameReader();
  const raws = [];
  for (let i = 0; i < all.length; i++) raws.push(...reader.push(all.subarray(i, i + 1)));
  assert.equal(raws.length, frames.length);
  const decoded = [];
  for (const r of raws) decoded.push(await decodeFrame(r, (b) => decompressor.decompress(b)));
  assert.deepEqual(decoded, frames);
  compressor.close();
  decompressor.close();
});

test('control frames carry version 3 and the control bit; data frames do not', () => {
  const ping = encodeFrame({ type: 'ping', id: 1 });
  assert.deepEqual([...ping], [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1]);
  const data = encodeFrame({ type: 'data', streamId: 1, fin: true, data: Buffer.from('x') });
  assert.deepEqual([...data], [0, 0, 0, 1, 0x01, 0, 0, 1, 0x78]);
});

test('unknown control frames are skipped and a wrong version is refused', async () => {
  const reader = new FrameReader();
  const unknown = Buffer.from([0x80, 0x03, 0x00, 0x0a, 0, 0, 0, 2, 9, 9]);
  const [raw] = reader.push(unknown);
  assert.equal(await decodeFrame(raw!, async () => ({})), undefined);
  const v2 = Buffer.from([0x80, 0x02, 0x00, 0x06, 0, 0, 0, 4, 0, 0, 0, 1]);
  const [raw2] = reader.push(v2);
  await assert.rejects(decodeFrame(raw2!, async () => ({})), /unsupported SPDY version 2/);
});
