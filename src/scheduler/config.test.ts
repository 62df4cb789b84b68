import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Snapshot } from './cache/snapshot.ts';
import { resolveOptions } from './config.ts';
import { Framework } from './framework/framework.ts';
import { inTreePlugins } from './plugins/registry.ts';
import { fakeHandle } from './testing/fixtures.ts';

const build = (profile: Parameters<typeof resolveOptions>[0] = {}) => resolveOptions(profile).profiles.map((p) => new Framework(p, inTreePlugins, fakeHandle(new Snapshot())));

test('the default profile has the default plugins and weights', () => {
  const [fwk] = build();
  assert.equal(fwk!.schedulerName, 'default-scheduler');
  assert.deepEqual(fwk!.filter.map((p) => p.name), ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeBinding', 'PodTopologySpread', 'InterPodAffinity']);
  assert.deepEqual(
    fwk!.score.map((s) => `${s.plugin.name}=${s.weight}`),
    ['TaintToleration=3', 'NodeAffinity=2', 'NodeResourcesFit=1', 'PodTopologySpread=2', 'InterPodAffinity=2', 'NodeResourcesBalancedAllocation=1', 'ImageLocality=1'],
  );
  assert.deepEqual(fwk!.postFilter.map((p) => p.name), ['DefaultPreemption']);
  assert.deepEqual(fwk!.bind.map((p) => p.name), ['DefaultBinder']);
});

test('a KubeSchedulerConfiguration file sets profiles, disabled plugins and weights', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-sched-config-'));
  try {
    const file = join(dir, 'config.yaml');
    writeFileSync(
      file,
      `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 30
profiles:
- schedulerName: default-scheduler
- schedulerName: no-spread
  plugins:
    multiPoint:
      disabled: [{name: PodTopologySpread}]
    score:
      disabled: [{name: ImageLocality}]
      enabled: [{name: NodeResourcesFit, weight: 5}]
`,
    );
    const opts = resolveOptions({ configFile: file });
    assert.equal(opts.percentageOfNodesToScore, 30);
    const [, custom] = build({ configFile: file });
    assert.equal(custom!.schedulerName, 'no-spread');
    assert.ok(!custom!.filter.some((p) => p.name === 'PodTopologySpread'));
    assert.ok(!custom!.score.some((s) => s.plugin.name === 'ImageLocality'));
    assert.equal(custom!.score.find((s) => s.plugin.name === 'NodeResourcesFit')?.weight, 5);
    assert.throws(() => build({ profiles: [{ schedulerName: 'x', plugins: { score: { enabled: [{ name: 'Nope' }] } } }] }), /unknown plugin "Nope"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
