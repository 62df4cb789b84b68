import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../install.ts';
import { core } from './build.ts';
import { coreConfigTypes } from './core-config.ts';
import { coreContainerTypes } from './core-container.ts';
import { inlinedTag } from './core-inline.ts';
import { coreNodeTypes } from './core-node.ts';
import { corePodTypes } from './core-pod.ts';
import { coreServiceTypes } from './core-service.ts';
import { coreVolumeTypes } from './core-volume.ts';
import { coreTypes } from './core.ts';
import { unknownFields } from './field-check.ts';
import { lookupType } from './index.ts';
import { metaTypes } from './meta.ts';
import type { FieldDef, FieldType, TypeDef } from './types.ts';

const mine: readonly TypeDef[] = [
  ...metaTypes, ...coreTypes, ...coreContainerTypes, ...corePodTypes, ...coreVolumeTypes,
  ...coreServiceTypes, ...coreConfigTypes, ...coreNodeTypes,
];

function refsOf(t: FieldType): string[] {
  if (t.kind === 'ref') return [t.ref];
  if (t.kind === 'array') return refsOf(t.items);
  if (t.kind === 'map') return refsOf(t.values);
  return [];
}

function fieldOf(type: string, name: string): FieldDef {
  const f = lookupType(core(type))?.fields.find((x) => x.name === name);
  assert.ok(f, `${type}.${name} is declared`);
  return f;
}

describe('meta/v1 and core/v1 schema, as a whole', () => {
  it('has one definition per name, registered', () => {
    const names = mine.map((t) => t.name);
    assert.equal(new Set(names).size, names.length);
    for (const t of mine) assert.equal(lookupType(t.name), t, t.name);
  });

  it('resolves every ref to a registered type', () => {
    const dangling = mine.flatMap((t) => t.fields.flatMap((f) => refsOf(f.type).filter((r) => !lookupType(r)).map((r) => `${t.name}.${f.name} -> ${r}`)));
    assert.deepEqual(dangling, []);
  });

  it('has no duplicate field names or proto numbers within a type', () => {
    for (const t of mine) {
      const names = t.fields.map((f) => f.name);
      assert.equal(new Set(names).size, names.length, `field names of ${t.name}`);
      const tags = t.fields.map((f) => f.protoTag).filter((n) => n !== 0);
      assert.equal(new Set(tags).size, tags.length, `proto numbers of ${t.name}`);
    }
  });

  it('gives proto number 0 only to apiVersion and kind, and those only on top-level kinds', () => {
    for (const t of mine) {
      for (const f of t.fields) {
        if (f.protoTag !== 0) continue;
        assert.ok(f.name === 'apiVersion' || f.name === 'kind', `${t.name}.${f.name}`);
        assert.ok(t.gvk, `${t.name} has a gvk`);
      }
    }
  });

  it('describes every type and field', () => {
    for (const t of mine) {
      assert.ok(t.description.length > 3, t.name);
      for (const f of t.fields) assert.ok(f.description.length > 3, `${t.name}.${f.name}`);
    }
  });

  it('keeps merge keys among the fields of the list items', () => {
    for (const t of mine) {
      for (const f of t.fields) {
        const item = f.type.kind === 'array' && f.type.items.kind === 'ref' ? lookupType(f.type.items.ref) : undefined;
        if (!item) continue;
        const keys = [...(f.patchMergeKey ? [f.patchMergeKey] : []), ...(f.listMapKeys ?? [])];
        for (const k of keys) assert.ok(item.fields.some((x) => x.name === k), `${t.name}.${f.name} key ${k}`);
      }
    }
  });

  it('serves every core/v1 kind of the scheme', () => {
    for (const kind of ['Namespace', 'Pod', 'PodTemplate', 'Node', 'Service', 'Endpoints', 'ConfigMap', 'Secret', 'ServiceAccount', 'Event', 'ReplicationController', 'PersistentVolume', 'PersistentVolumeClaim', 'Binding']) {
      const t = lookupType(core(kind));
      assert.deepEqual(t?.gvk, [{ group: '', version: 'v1', kind }], kind);
      assert.equal(t?.fields.find((f) => f.name === 'metadata')?.protoTag, 1, kind);
    }
  });
});

describe('core/v1 field numbers', () => {
  it('match generated.proto for the pod tree', () => {
    const expected: [string, string, number][] = [
      ['PodSpec', 'volumes', 1], ['PodSpec', 'containers', 2], ['PodSpec', 'initContainers', 20], ['PodSpec', 'restartPolicy', 3],
      ['PodSpec', 'nodeSelector', 7], ['PodSpec', 'serviceAccountName', 8], ['PodSpec', 'nodeName', 10], ['PodSpec', 'tolerations', 22],
      ['PodSpec', 'topologySpreadConstraints', 33], ['PodSpec', 'ephemeralContainers', 34], ['PodSpec', 'os', 36], ['PodSpec', 'resources', 40],
      ['Container', 'name', 1], ['Container', 'image', 2], ['Container', 'ports', 6], ['Container', 'env', 7], ['Container', 'envFrom', 19],
      ['Container', 'resources', 8], ['Container', 'volumeMounts', 9], ['Container', 'startupProbe', 22], ['Container', 'restartPolicy', 24],
      ['ContainerPort', 'containerPort', 3], ['ContainerPort', 'protocol', 4], ['VolumeMount', 'mountPath', 3], ['VolumeMount', 'recursiveReadOnly', 7],
      ['PodStatus', 'podIPs', 12], ['PodStatus', 'hostIPs', 16], ['PodStatus', 'qosClass', 9], ['ContainerStatus', 'started', 9],
      ['ServiceSpec', 'clusterIPs', 18], ['ServiceSpec', 'ipFamilies', 19], ['ServiceSpec', 'ipFamilyPolicy', 17], ['ServicePort', 'appProtocol', 6],
      ['ServicePort', 'targetPort', 4], ['ConfigMap', 'immutable', 4], ['Secret', 'immutable', 5], ['Secret', 'stringData', 4], ['Secret', 'type', 3],
      ['NodeSpec', 'podCIDRs', 7], ['NodeStatus', 'nodeInfo', 7], ['Event', 'eventTime', 10], ['Event', 'reportingInstance', 15],
      ['EndpointAddress', 'hostname', 3], ['EndpointAddress', 'targetRef', 2], ['ReplicationControllerSpec', 'minReadySeconds', 4],
      ['PersistentVolumeClaimSpec', 'selector', 4], ['PersistentVolumeClaimSpec', 'resources', 2],
    ];
    for (const [type, name, tag] of expected) assert.equal(fieldOf(type, name).protoTag, tag, `${type}.${name}`);
  });

  it('packs the numbers of fields that Go inlines from an embedded message', () => {
    assert.equal(fieldOf('Probe', 'httpGet').protoTag, inlinedTag(1, 2));
    assert.equal(fieldOf('Probe', 'initialDelaySeconds').protoTag, 2);
    assert.equal(fieldOf('Volume', 'configMap').protoTag, inlinedTag(2, 19));
    assert.equal(fieldOf('Volume', 'projected').protoTag, inlinedTag(2, 26));
    assert.equal(fieldOf('Volume', 'name').protoTag, 1);
    assert.equal(fieldOf('EphemeralContainer', 'image').protoTag, inlinedTag(1, 2));
    assert.equal(fieldOf('EphemeralContainer', 'targetContainerName').protoTag, 2);
    assert.equal(fieldOf('SecretKeySelector', 'name').protoTag, inlinedTag(1, 1));
    assert.equal(fieldOf('PersistentVolumeSpec', 'csi').protoTag, inlinedTag(2, 22));
  });
});

describe('core/v1 patch metadata and types', () => {
  it('follows the Go struct tags and list markers', () => {
    const ports = fieldOf('Container', 'ports');
    assert.deepEqual([ports.patchStrategy, ports.patchMergeKey, ports.listType, ports.listMapKeys], ['merge', 'containerPort', 'map', ['containerPort', 'protocol']]);
    const volumes = fieldOf('PodSpec', 'volumes');
    assert.deepEqual([volumes.patchStrategy, volumes.patchMergeKey], ['merge,retainKeys', 'name']);
    assert.equal(fieldOf('Container', 'volumeMounts').patchMergeKey, 'mountPath');
    assert.equal(fieldOf('Container', 'env').patchMergeKey, 'name');
    assert.deepEqual(fieldOf('ServiceSpec', 'ports').listMapKeys, ['port', 'protocol']);
    assert.deepEqual(fieldOf('PodSpec', 'topologySpreadConstraints').listMapKeys, ['topologyKey', 'whenUnsatisfiable']);
    assert.equal(fieldOf('PodStatus', 'conditions').patchMergeKey, 'type');
    assert.equal(fieldOf('PodSpec', 'tolerations').listType, 'atomic');
    assert.equal(fieldOf('PodSpec', 'nodeSelector').mapType, 'atomic');
  });

  it('uses the Kubernetes scalar kinds', () => {
    assert.deepEqual(fieldOf('ServicePort', 'targetPort').type, { kind: 'scalar', scalar: 'intOrString' });
    assert.deepEqual(fieldOf('ResourceRequirements', 'limits').type, { kind: 'map', values: { kind: 'scalar', scalar: 'quantity' } });
    assert.deepEqual(fieldOf('Secret', 'data').type, { kind: 'map', values: { kind: 'scalar', scalar: 'bytes' } });
    assert.deepEqual(fieldOf('Event', 'eventTime').type, { kind: 'scalar', scalar: 'microTime' });
    assert.deepEqual(fieldOf('PodSpec', 'terminationGracePeriodSeconds').type, { kind: 'scalar', scalar: 'int64' });
    assert.deepEqual(fieldOf('ContainerPort', 'containerPort').type, { kind: 'scalar', scalar: 'int32' });
  });

  it('marks the fields OpenAPI requires', () => {
    assert.equal(fieldOf('Container', 'name').required, true);
    assert.equal(fieldOf('PodSpec', 'containers').required, true);
    assert.equal(fieldOf('ContainerPort', 'containerPort').required, true);
    assert.equal(fieldOf('ServicePort', 'port').required, true);
    assert.equal(fieldOf('Container', 'image').required, undefined);
  });
});

describe('strict field validation against the core schema', () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }] },
    spec: {
      containers: [{
        name: 'web', image: 'nginx', ports: [{ containerPort: 80, name: 'http' }],
        env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
        envFrom: [{ configMapRef: { name: 'cm' } }],
        resources: { requests: { cpu: '100m' }, limits: { memory: '1Gi' } },
        readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
        lifecycle: { preStop: { sleep: { seconds: 5 } } },
        securityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      }],
      volumes: [
        { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
        { name: 'cfg', projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3600 } }, { configMap: { name: 'cm', items: [{ key: 'a', path: 'a' }] } }] } },
        { name: 'ebs', awsElasticBlockStore: { volumeID: 'vol-1' } },
      ],
      affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } } }] } },
      tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }],
    },
    status: { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }], containerStatuses: [{ name: 'web', ready: true, restartCount: 0, image: 'nginx', imageID: 'x', state: { running: { startedAt: '2024-01-01T00:00:00Z' } } }] },
  };

  it('accepts a pod using much of the tree', () => {
    assert.deepEqual(unknownFields(core('Pod'), pod), []);
  });

  it('reports misspelt fields deep in the tree', () => {
    const bad = structuredClone(pod) as typeof pod & Record<string, unknown>;
    (bad.spec.containers[0] as Record<string, unknown>)['readinesProbe'] = {};
    (bad.spec.volumes[0] as Record<string, unknown>)['emptyDir'] = { sizeLimt: '1Gi' };
    assert.deepEqual(unknownFields(core('Pod'), bad), [
      'unknown field "spec.containers[0].readinesProbe"',
      'unknown field "spec.volumes[0].emptyDir.sizeLimt"',
    ]);
  });

  it('accepts a Service, a Secret and a Node status', () => {
    assert.deepEqual(unknownFields(core('Service'), { spec: { type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }], ipFamilies: ['IPv4'] }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } }), []);
    assert.deepEqual(unknownFields(core('Secret'), { type: 'Opaque', data: { a: 'Yg==' }, stringData: { b: 'c' } }), []);
    assert.deepEqual(unknownFields(core('Node'), { spec: { podCIDR: '10.0.0.0/24', taints: [{ key: 'a', effect: 'NoSchedule' }] }, status: { daemonEndpoints: { kubeletEndpoint: { Port: 10250 } }, nodeInfo: { kubeletVersion: 'v1.32.0' } } }), []);
  });
});
