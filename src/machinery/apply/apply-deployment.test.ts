// Server-side apply over the real API schema, as kubectl drives it for a Deployment.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../api/install.ts';
import { lookupType } from '../../api/schema/index.ts';
import type { KubeObject } from '../../api/meta.ts';
import { StatusError } from '../status.ts';
import { applyPatch } from './apply-patch.ts';
import { updateManagedFields } from './update-managed-fields.ts';

const typeName = 'io.k8s.api.apps.v1.Deployment';
const missing = ['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', typeName, 'io.k8s.api.core.v1.PodSpec'].filter((n) => !lookupType(n));
const skip = missing.length > 0 ? `schema not registered yet: ${missing.join(', ')}` : false;
if (skip) console.log(`skipping Deployment apply tests: ${skip}`);

function deployment(image: string, replicas?: number): KubeObject {
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image, ports: [{ containerPort: 80 }] }] } },
  };
  if (replicas !== undefined) spec['replicas'] = replicas;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec };
}

const base = { manager: 'kubectl', force: false, typeName, apiVersion: 'apps/v1' } as const;

describe('applyPatch on a Deployment', { skip }, () => {
  it('records the fields kubectl applied, containers by name and ports by containerPort/protocol', () => {
    const out = applyPatch({ ...base, live: undefined, applied: deployment('nginx:1.27', 2), now: '2026-01-01T00:00:00Z' });
    assert.deepEqual(out.metadata.managedFields?.[0]?.fieldsV1, {
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    });
  });

  it('conflicts with a scale through another manager, and force takes replicas back', () => {
    const live = applyPatch({ ...base, live: undefined, applied: deployment('nginx:1.27', 2), now: '2026-01-01T00:00:00Z' });
    const scaled = structuredClone(live);
    (scaled['spec'] as { replicas: number }).replicas = 5;
    updateManagedFields({ old: live, updated: scaled, manager: 'kubectl-scale', typeName, apiVersion: 'apps/v1', now: '2026-01-01T00:01:00Z' });
    const e = (() => {
      try {
        applyPatch({ ...base, live: scaled, applied: deployment('nginx:1.27', 3), now: '2026-01-01T00:02:00Z' });
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    assert.ok(e instanceof StatusError);
    assert.equal(e.message, 'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas');
    const forced = applyPatch({ ...base, force: true, live: scaled, applied: deployment('nginx:1.28', 3), now: '2026-01-01T00:02:00Z' });
    const spec = forced['spec'] as { replicas: number; template: { spec: { containers: { image: string }[] } } };
    assert.equal(spec.replicas, 3);
    assert.equal(spec.template.spec.containers[0]?.image, 'nginx:1.28');
    assert.deepEqual(forced.metadata.managedFields?.map((m) => m.manager), ['kubectl']);
  });
});
