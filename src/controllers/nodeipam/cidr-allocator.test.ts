import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CidrAllocator, formatCidr, parseCidr } from './cidr-allocator.ts';

test('parseCidr normalises the base and rejects garbage', () => {
  assert.equal(formatCidr(parseCidr('10.42.7.9/16')), '10.42.0.0/16');
  assert.throws(() => parseCidr('10.42.0.0'), /invalid CIDR/);
  assert.throws(() => parseCidr('300.1.1.1/8'), /invalid CIDR/);
});

test('allocates /24 blocks lowest first and reuses released ones', () => {
  const a = new CidrAllocator('10.42.0.0/16', 24);
  assert.equal(a.capacity, 256);
  assert.equal(a.allocate(), '10.42.0.0/24');
  assert.equal(a.allocate(), '10.42.1.0/24');
  assert.equal(a.allocate(), '10.42.2.0/24');
  a.release('10.42.1.0/24');
  assert.equal(a.allocate(), '10.42.1.0/24');
  assert.equal(a.allocate(), '10.42.3.0/24');
});

test('blocks occupied from existing nodes are never handed out again', () => {
  const a = new CidrAllocator('10.42.0.0/16', 24);
  assert.equal(a.occupy('10.42.0.0/24'), true);
  assert.equal(a.occupy('10.42.2.0/24'), true);
  assert.equal(a.occupy('192.168.0.0/24'), false);
  assert.equal(a.occupy('10.42.3.0/25'), false);
  assert.deepEqual([a.allocate(), a.allocate(), a.allocate()], ['10.42.1.0/24', '10.42.3.0/24', '10.42.4.0/24']);
});

test('a full range says so', () => {
  const a = new CidrAllocator('10.0.0.0/30', 31);
  assert.equal(a.allocate(), '10.0.0.0/31');
  assert.equal(a.allocate(), '10.0.0.2/31');
  assert.equal(a.allocate(), undefined);
  assert.throws(() => new CidrAllocator('10.0.0.0/16', 8), /mask size/);
});
