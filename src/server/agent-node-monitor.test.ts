import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../machinery/clock.ts';
import type { NodeConfig } from '../kubelet/node-status.ts';
import type { Image, ImageService } from '../kubelet/runtime/runtime.ts';
import { runtimeNotReady, startNodeMonitor } from './agent-node-monitor.ts';

test('the runtime\'s readiness becomes Ready=False in the kubelet\'s words', () => {
  assert.equal(runtimeNotReady([{ type: 'RuntimeReady', status: true, reason: '', message: '' }, { type: 'NetworkReady', status: true, reason: '', message: '' }]), undefined);
  assert.match(runtimeNotReady([{ type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: 'cni plugin not initialized' }])!.message, /^container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady/);
  assert.match(runtimeNotReady([{ type: 'RuntimeReady', status: false, reason: 'X', message: 'y' }])!.message, /^container runtime not ready: RuntimeReady=false/);
  assert.match(runtimeNotReady(new Error('connect ENOENT'))!.message, /container runtime is down: connect ENOENT/);
});

test('reports images and flips Ready when the runtime goes down and comes back', async () => {
  const clock = new FakeClock(0);
  const images: Image[] = [{ id: 'sha256:1', repoTags: ['docker.io/library/busybox:1.35'], repoDigests: [], size: 1000 }];
  const svc = { listImages: async () => images } as unknown as ImageService;
  let cfg = { name: 'n1' } as NodeConfig;
  let up = true;
  const sets: NodeConfig[] = [];
  const m = startNodeMonitor({
    dataDir: '/tmp',
    images: svc,
    clock,
    log: () => undefined,
    runtimeStatus: async () => {
      if (!up) throw new Error('containerd gone');
      return [{ type: 'RuntimeReady', status: true, reason: '', message: '' }];
    },
    get: () => cfg,
    set: (c) => {
      cfg = c;
      sets.push(c);
    },
    periodMs: 1000,
  });
  const tick = async () => {
    clock.advance(1000);
    await new Promise((r) => setTimeout(r, 20));
  };
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(cfg.images, [{ names: ['docker.io/library/busybox:1.35'], sizeBytes: 1000 }]);
  assert.equal(cfg.notReady, undefined);
  up = false;
  await tick();
  assert.match((cfg as NodeConfig).notReady?.message ?? '', /container runtime is down/);
  up = true;
  await tick();
  assert.equal(cfg.notReady, undefined);
  const n = sets.length;
  await tick();
  assert.equal(sets.length, n, 'nothing changed: no update');
  m.stop();
});
