// Integration: decodes what kubectl create deployment sends, against the real schema.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import '../install.ts';
import { lookupType } from '../schema/index.ts';
import { decodeKubernetesProtobuf } from './decode.ts';
import { bool, concat, envelope, int, msg, str, stringEntry } from './test-encoder.ts';

const needed = ['io.k8s.api.apps.v1.Deployment', 'io.k8s.api.core.v1.PodSpec', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'];
const missing = needed.filter((n) => !lookupType(n));
if (missing.length) console.log(`# skipping real-schema protobuf test: not registered yet: ${missing.join(', ')}`);

it('decodes an apps/v1 Deployment with the real schema', { skip: missing.length > 0 }, () => {
  const labels = stringEntry(11, 'app', 'web');
  const meta = (name: string) => msg(1, str(1, name), str(3, ''), msg(8), labels);
  const container = msg(2, str(1, 'nginx'), str(2, 'nginx'), msg(8), str(13, '/dev/termination-log'));
  const raw = concat(meta('web'), msg(2, int(1, 2), msg(2, stringEntry(1, 'app', 'web')), msg(3, meta(''), msg(2, container)), msg(4)), msg(3));
  const obj = decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', raw));
  assert.equal(obj.apiVersion, 'apps/v1');
  assert.equal(obj.kind, 'Deployment');
  assert.deepEqual(obj.metadata.labels, { app: 'web' });
  assert.equal(obj.metadata.creationTimestamp, undefined);
  const spec = obj['spec'] as { replicas: number; selector: unknown; template: { spec: { containers: Record<string, unknown>[] } } };
  assert.equal(spec.replicas, 2);
  assert.deepEqual(spec.selector, { matchLabels: { app: 'web' } });
  assert.equal(spec.template.spec.containers[0]?.['image'], 'nginx');
  assert.equal(spec.template.spec.containers[0]?.['terminationMessagePath'], '/dev/termination-log');
});

it('decodes embedded Go structs (probe handlers, volume sources) into their flat JSON shape', { skip: missing.length > 0 }, () => {
  const port = msg(2, int(1, 0), int(2, 8080));
  const probe = msg(10, msg(1, msg(2, str(1, '/healthz'), port)), int(4, 5));
  const container = msg(2, str(1, 'web'), str(2, 'busybox'), probe);
  const volume = msg(1, str(1, 'data'), msg(2, msg(2)));
  const raw = concat(msg(1, str(1, 'p')), msg(2, volume, container));
  const obj = decodeKubernetesProtobuf(envelope('v1', 'Pod', raw));
  const spec = obj['spec'] as { containers: { livenessProbe: unknown }[]; volumes: unknown[] };
  assert.deepEqual(spec.containers[0]?.livenessProbe, { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 });
  assert.deepEqual(spec.volumes, [{ name: 'data', emptyDir: {} }]);
});

it('keeps a zero that is a value (replicas: 0) and drops zeros Go would omit (paused: false)', { skip: missing.length > 0 }, () => {
  const raw = concat(msg(1, str(1, 'zero')), msg(2, int(1, 0), bool(7, false), int(5, 0)));
  const spec = decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', raw))['spec'] as Record<string, unknown>;
  assert.equal(spec['replicas'], 0);
  assert.equal('paused' in spec, false);
  assert.equal('minReadySeconds' in spec, false);
});
