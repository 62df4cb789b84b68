import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeInfo } from '../../framework/node-info.ts';
import { makeNode } from '../../testing/cluster.ts';
import { podInfo, scoreAll, Snapshot } from '../../testing/fixtures.ts';
import { imageLocality, normalizedImageName } from './image-locality.ts';

test('prefers nodes holding big images, scaled by how many nodes have them', () => {
  const mb = 1024 * 1024;
  const withImages = (name: string, images: { names: string[]; sizeBytes: number }[]) => {
    const n = makeNode(name);
    n.status!.images = images;
    return new NodeInfo(name, n);
  };
  const snap = Snapshot.of([withImages('has', [{ names: ['busybox:latest'], sizeBytes: 500 * mb }]), withImages('none', []), withImages('small', [{ names: ['tiny:1'], sizeBytes: mb }])]);
  const s = scoreAll(imageLocality(), podInfo('p'), snap);
  assert.equal(s.get('none'), 0);
  assert.equal(s.get('small'), 0);
  // 500 MB spread over 1 of 3 nodes: 166.7 MB, scaled between 23 MB and 1000 MB.
  assert.equal(s.get('has'), Math.floor((100 * ((500 * mb) / 3 - 23 * mb)) / (977 * mb)));
  assert.equal(normalizedImageName('busybox'), 'busybox:latest');
  assert.equal(normalizedImageName('reg:5000/app'), 'reg:5000/app:latest');
  assert.equal(normalizedImageName('app@sha256:ab'), 'app@sha256:ab');
});
