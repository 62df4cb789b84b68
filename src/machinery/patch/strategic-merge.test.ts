import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from './strategic-merge.ts';
import { testDeployment, testPod } from './strategic-test-types.ts';
import { StatusError } from '../status.ts';

const smp = (doc: unknown, patch: unknown, typeName = testPod): unknown => applyStrategicMergePatch(doc, patch, typeName);
function podWith<S, M = { name: string }>(spec: S, metadata: M = { name: 'p' } as M): { metadata: M; spec: S } {
  return { metadata, spec };
}
const code = (fn: () => unknown): number => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected a StatusError, got ${String(e)}`);
    return e.code;
  }
  assert.fail('expected the patch to fail');
};

describe('applyStrategicMergePatch: keyed lists', () => {
  const live = podWith({
    containers: [
      { name: 'nginx', image: 'nginx:1.26', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'busybox' },
    ],
  });

  it('applies kubectl set image: one container changes, the rest stay in place', () => {
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }], containers: [{ image: 'nginx:1.27', name: 'nginx' }] } };
    const out = smp(live, patch) as typeof live;
    assert.deepEqual(out.spec.containers.map((c) => [c.name, c.image]), [['nginx', 'nginx:1.27'], ['sidecar', 'busybox']]);
    assert.deepEqual(out.spec.containers[0]?.env, live.spec.containers[0]?.env);
    assert.equal(live.spec.containers[0]?.image, 'nginx:1.26', 'the input is never changed');
  });

  it('merges nested keyed lists by their own keys (env by name, ports by containerPort)', () => {
    const out = smp(live, {
      spec: { containers: [{ name: 'nginx', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }], ports: [{ containerPort: 80, name: 'http' }] }] },
    }) as typeof live;
    const nginx = out.spec.containers.find((c) => c.name === 'nginx');
    assert.deepEqual(nginx?.env, [{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, { name: 'C', value: '3' }]);
    assert.deepEqual(nginx?.ports, [{ containerPort: 80, name: 'http' }]);
    assert.equal(nginx?.image, 'nginx:1.26');
  });

  it('puts new elements first like Kubernetes does without $setElementOrder', () => {
    const out = smp(live, { spec: { containers: [{ name: 'new', image: 'x' }] } }) as typeof live;
    assert.deepEqual(out.spec.containers.map((c) => c.name), ['new', 'nginx', 'sidecar']);
  });

  it('orders by $setElementOrder, new elements included', () => {
    const out = smp(live, {
      spec: { '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'new' }, { name: 'sidecar' }], containers: [{ name: 'new', image: 'x' }] },
    }) as typeof live;
    assert.deepEqual(out.spec.containers.map((c) => c.name), ['nginx', 'new', 'sidecar']);
  });

  it('reorders a list with $setElementOrder alone', () => {
    const out = smp(live, { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }] } }) as typeof live;
    assert.deepEqual(out.spec.containers.map((c) => c.name), ['sidecar', 'nginx']);
  });

  it('interleaves patch and live order like Kubernetes', () => {
    const doc = podWith({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] });
    const names = (p: unknown) => (smp(doc, p) as { spec: { containers: { name: string }[] } }).spec.containers.map((c) => c.name);
    assert.deepEqual(names({ spec: { containers: [{ name: 'b', image: 'x' }] } }), ['a', 'b', 'c']);
    assert.deepEqual(names({ spec: { containers: [{ name: 'c' }, { name: 'a' }] } }), ['b', 'c', 'a']);
  });

  it('handles what kubectl apply sends to remove a container, with nested directives in a new one', () => {
    const out = smp(live, {
      spec: {
        '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'extra' }],
        containers: [
          { name: 'sidecar', $patch: 'delete' },
          { name: 'extra', image: 'e', '$setElementOrder/env': [{ name: 'Y' }, { name: 'X' }, { name: 'Z' }], env: [{ name: 'Y', value: 'y' }, { name: 'X', value: 'x' }, { name: 'Z', value: null }] },
        ],
      },
    });
    assert.deepEqual(
      out,
      podWith({ containers: [live.spec.containers[0], { name: 'extra', image: 'e', env: [{ name: 'Y', value: 'y' }, { name: 'X', value: 'x' }, { name: 'Z' }] }] }),
    );
  });

  it('refuses a patch list that $setElementOrder does not name', () => {
    const patch = { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ name: 'other', image: 'x' }] } };
    assert.equal(code(() => smp(live, patch)), 400);
    const swapped = { spec: { '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }], containers: [{ name: 'sidecar' }, { name: 'nginx' }] } };
    assert.equal(code(() => smp(live, swapped)), 400);
  });

  it('deletes an element with $patch: delete', () => {
    const out = smp(live, { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } }) as typeof live;
    assert.deepEqual(out.spec.containers.map((c) => c.name), ['nginx']);
  });

  it('replaces the whole list with $patch: replace in an element', () => {
    const out = smp(live, { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } });
    assert.deepEqual(out, podWith({ containers: [{ name: 'only', image: 'x' }] }));
  });

  it('answers 400 for $patch: merge in a list, a missing merge key or an unknown directive', () => {
    assert.equal(code(() => smp(live, { spec: { containers: [{ $patch: 'merge' }] } })), 400);
    assert.equal(code(() => smp(live, { spec: { containers: [{ image: 'x' }] } })), 400);
    assert.equal(code(() => smp(live, { spec: { containers: [{ name: 'x', $patch: 'explode' }] } })), 400);
    assert.equal(code(() => smp(live, { spec: { $patch: 'explode' } })), 400);
  });

  it('leaves a keyed list alone on an empty patch list, and drops it on null', () => {
    assert.deepEqual(smp(live, { spec: { containers: [] } }), live);
    assert.deepEqual(smp(live, { spec: { containers: null } }), podWith({}));
  });

  it('cleans new elements: nulls and directives do not reach the result', () => {
    const out = smp(podWith({}), { spec: { containers: [{ name: 'a', image: null, env: [{ name: 'X', value: '1' }], resources: { limits: { cpu: '1', mem: null } } }] } });
    assert.deepEqual(out, podWith({ containers: [{ name: 'a', env: [{ name: 'X', value: '1' }], resources: { limits: { cpu: '1' } } }] }));
  });

  it('replaces lists that have no merge strategy', () => {
    const doc = podWith({ containers: [{ name: 'a', args: ['1', '2'] }], tolerations: [{ key: 'k1' }, { key: 'k2' }] });
    const out = smp(doc, { spec: { tolerations: [{ key: 'k3' }], containers: [{ name: 'a', args: ['3'] }] } });
    assert.deepEqual(out, podWith({ containers: [{ name: 'a', args: ['3'] }], tolerations: [{ key: 'k3' }] }));
  });
});

describe('applyStrategicMergePatch: lists of scalars, maps and directives', () => {
  it('unions finalizers and removes with $deleteFromPrimitiveList', () => {
    const doc = podWith({}, { name: 'p', finalizers: ['a', 'b'] });
    assert.deepEqual((smp(doc, { metadata: { finalizers: ['b', 'c'] } }) as typeof doc).metadata.finalizers, ['a', 'b', 'c']);
    assert.deepEqual((smp(doc, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }) as typeof doc).metadata.finalizers, ['b']);
    const both = smp(doc, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['z'] } }) as typeof doc;
    assert.deepEqual([...both.metadata.finalizers].sort(), ['b', 'z']);
  });

  it('ignores $deleteFromPrimitiveList for a list the object does not have', () => {
    const doc = podWith({}, { name: 'p' });
    assert.deepEqual(smp(doc, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }), doc);
  });

  it('empties the object on $patch: delete at the root', () => {
    assert.deepEqual(smp(podWith({ nodeSelector: { a: '1' } }), { $patch: 'delete' }), {});
  });

  it('merges ownerReferences by uid', () => {
    const doc = podWith({}, { name: 'p', ownerReferences: [{ uid: '1', name: 'a' }, { uid: '2', name: 'b' }] });
    const out = smp(doc, { metadata: { ownerReferences: [{ uid: '2', name: 'B' }] } }) as typeof doc;
    assert.deepEqual(out.metadata.ownerReferences, [{ uid: '1', name: 'a' }, { uid: '2', name: 'B' }]);
  });

  it('merges maps key by key and deletes with null', () => {
    const doc = podWith({ nodeSelector: { a: '1', b: '2' } }, { name: 'p', labels: { app: 'web', tier: 'fe' } });
    const out = smp(doc, { metadata: { labels: { tier: null, env: 'prod' } }, spec: { nodeSelector: { b: '3' } } });
    assert.deepEqual(out, podWith({ nodeSelector: { a: '1', b: '3' } }, { name: 'p', labels: { app: 'web', env: 'prod' } }));
  });

  it('replaces a map with $patch: replace and removes it with $patch: delete', () => {
    const doc = podWith({ nodeSelector: { a: '1', b: '2' } });
    assert.deepEqual(smp(doc, { spec: { nodeSelector: { $patch: 'replace', c: '3' } } }), podWith({ nodeSelector: { c: '3' } }));
    assert.deepEqual(smp(doc, { spec: { nodeSelector: { $patch: 'delete' } } }), podWith({}));
    assert.deepEqual(smp(doc, { spec: { nodeSelector: { $patch: 'merge', c: '3' } } }), podWith({ nodeSelector: { a: '1', b: '2', c: '3' } }));
  });

  it('replaces a field whose patchStrategy is replace', () => {
    const doc = { spec: { selector: { matchLabels: { a: '1' } }, replicas: 1 } };
    assert.deepEqual(smp(doc, { spec: { selector: { matchLabels: { b: '2' } } } }, testDeployment), { spec: { selector: { matchLabels: { b: '2' } }, replicas: 1 } });
  });

  it('drops the keys $retainKeys does not list (switching a Deployment to Recreate)', () => {
    const doc = { spec: { replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } } };
    const patch = { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } };
    assert.deepEqual(smp(doc, patch, testDeployment), { spec: { replicas: 2, strategy: { type: 'Recreate' } } });
    const bad = { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: { maxSurge: '1' } } } };
    assert.equal(code(() => smp(doc, bad, testDeployment)), 400);
    assert.equal(code(() => smp(doc, { spec: { strategy: { $retainKeys: 'type' } } }, testDeployment)), 400);
  });

  it('applies $retainKeys inside elements of a merge,retainKeys list (volume source switch)', () => {
    const doc = podWith({ volumes: [{ name: 'v', emptyDir: {} }, { name: 'w', emptyDir: {} }] });
    const patch = { spec: { volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] } };
    assert.deepEqual(smp(doc, patch), podWith({ volumes: [{ name: 'v', configMap: { name: 'cm' } }, { name: 'w', emptyDir: {} }] }));
  });

  it('behaves like a merge patch where the schema knows nothing', () => {
    const doc = { spec: { list: [{ name: 'a' }], obj: { a: 1, b: 2 } } };
    const out = smp(doc, { spec: { list: [{ name: 'b' }], obj: { a: null, c: 3 } } }, 'test.patch.v1.NoSuchType');
    assert.deepEqual(out, { spec: { list: [{ name: 'b' }], obj: { b: 2, c: 3 } } });
  });

  it('answers 400 for a patch that is not an object', () => {
    assert.equal(code(() => smp({}, [1])), 400);
    assert.equal(code(() => smp({}, 'x')), 400);
  });
});
