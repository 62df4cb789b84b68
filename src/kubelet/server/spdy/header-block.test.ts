import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { spdyDictionary } from './dictionary.ts';
import { HeaderCompressor, HeaderDecompressor, decodeHeaderBlock, encodeHeaderBlock } from './header-block.ts';

test('the dictionary is the 1423-byte SPDY/3 one Go uses', () => {
  assert.equal(spdyDictionary.length, 1423);
  assert.equal(spdyDictionary.subarray(0, 11).toString('latin1'), '\0\0\0\x07options');
  assert.ok(spdyDictionary.toString('latin1').endsWith('utf-,*,enq=0.'));
});

test('a block lists lowercase names with length-prefixed values', () => {
  const block = encodeHeaderBlock({ StreamType: 'data', port: '8080' });
  assert.equal(block.readUInt32BE(0), 2);
  assert.deepEqual(decodeHeaderBlock(block), { streamtype: 'data', port: '8080' });
  assert.throws(() => decodeHeaderBlock(Buffer.from([0, 0, 0, 1, 0, 0, 0, 9, 1])), /malformed SPDY header block/);
});

test('blocks continue one zlib stream per direction (later blocks need the earlier ones)', async () => {
  const c = new HeaderCompressor();
  const blocks = [];
  for (let i = 0; i < 5; i++) blocks.push(await c.compress({ streamtype: i % 2 ? 'data' : 'error', port: '80', requestid: String(i) }));
  // The first block starts a zlib stream that names the SPDY dictionary (FDICT set).
  assert.equal(blocks[0]![0], 0x78);
  assert.ok((blocks[0]![1]! & 0x20) !== 0);
  // Repeated headers compress to far less than the first block: the context is shared.
  assert.ok(blocks[4]!.length < blocks[0]!.length, `${blocks[4]!.length} < ${blocks[0]!.length}`);
  // Every block ends with a sync flush marker.
  for (const b of blocks) assert.deepEqual([...b.subarray(-4)], [0, 0, 0xff, 0xff]);

  const d = new HeaderDecompressor();
  for (let i = 0; i < 5; i++) assert.deepEqual(await d.decompress(blocks[i]!), { streamtype: i % 2 ? 'data' : 'error', port: '80', requestid: String(i) });
  // A fresh decompressor cannot start in the middle of the stream.
  const fresh = new HeaderDecompressor();
  await assert.rejects(fresh.decompress(blocks[3]!), /cannot inflate a SPDY header block/);
  // And a whole-stream inflate with the dictionary sees the same bytes (independent check).
  const whole = zlib.inflateSync(Buffer.concat(blocks), { dictionary: spdyDictionary, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  assert.equal(decodeHeaderBlock(whole).requestid, '0');
  c.close();
  d.close();
  fresh.close();
});
