// managedFields bookkeeping for the three writes a kubelet-heavy cluster makes
// thousands of times a second: a pod create, the kubelet's first pods/status
// merge patch, and a Lease renewal PUT. Prints CPU µs per write for the
// general algorithm (decode and re-encode every manager, compare whole
// objects, filter by copying) and for the fast path the API server uses,
// measured interleaved in one process, after checking both give the same
// bytes. The create and the first status write take the fast path's own
// walks (created-fields.ts, changed-fields.ts). The real API schema is loaded,
// as in the API server: without it every type is deduced (lists atomic). On a
// busy machine the best round is the steadiest figure.
//
// Usage: node --expose-gc bench/managed-fields.ts [--rounds 40] [--iterations 1000]

import '../src/api/schema/all.ts';
import type { KubeObject } from '../src/api/meta.ts';
import { updateManagedFields, updateManagedFieldsGeneral, type UpdateParams } from '../src/machinery/apply/update-managed-fields.ts';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const rounds = flag('rounds', 40);
const iterations = flag('iterations', 1000);

const T0 = '2026-11-26T16:38:50Z';
const T1 = '2026-11-26T16:39:00Z';
const podType = 'io.k8s.api.core.v1.Pod';
const leaseType = 'io.k8s.api.coordination.v1.Lease';

/** A pod as the API server has it after defaulting, before managedFields are set. */
function pod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'bench-0', namespace: 'default', labels: { app: 'bench' }, uid: '8dd32748-77b5-44c9-97d5-2f5e73f40f35', creationTimestamp: T0 },
    spec: {
      nodeName: 'sim-0',
      containers: [
        {
          name: 'app',
          image: 'busybox:1.36',
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
      serviceAccountName: 'default',
      serviceAccount: 'default',
      priority: 0,
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: { phase: 'Pending', qosClass: 'Burstable' },
  };
}

const condition = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: T1 });

/** The hollow kubelet's Running status. */
const runningStatus = {
  phase: 'Running',
  qosClass: 'Burstable',
  conditions: ['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready', 'PodScheduled'].map(condition),
  hostIP: '172.16.0.1',
  hostIPs: [{ ip: '172.16.0.1' }],
  podIP: '10.42.0.2',
  podIPs: [{ ip: '10.42.0.2' }],
  startTime: T1,
  containerStatuses: [
    {
      name: 'app',
      image: 'busybox:1.36',
      imageID: 'sha256:6ad674bf24a5749adc4d15fdd68e576cb6f4191771ae630f8f11aa6a816fe793',
      containerID: 'fake://99659f22258e6b0cc069afbe49e866d7f085bae3d10b807580dd068d24c27fa9',
      state: { running: { startedAt: T1 } },
      lastState: {},
      ready: true,
      restartCount: 0,
      started: true,
    },
  ],
};

function lease(renewTime: string): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: 'sim-0',
      namespace: 'kube-node-lease',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'sim-0', uid: 'c6c791b5-46fa-400e-a1bb-d7abbb2820cd' }],
      uid: '4d7badae-67fd-48f1-9a2f-f9b1590c3987',
      creationTimestamp: T0,
    },
    spec: { holderIdentity: 'sim-0', leaseDurationSeconds: 40, renewTime },
  };
}

type Write = { name: string; params: () => UpdateParams };

const created = pod();
updateManagedFields({ old: undefined, updated: created, manager: 'bench-driver', typeName: podType, apiVersion: 'v1', now: T0, resetFields: [['status']] });
created.metadata.resourceVersion = '229';
const leased = lease('2026-11-26T16:38:50.395000Z');
updateManagedFields({ old: undefined, updated: leased, manager: 'bench-sim', typeName: leaseType, apiVersion: 'coordination.k8s.io/v1', now: T0 });
leased.metadata.resourceVersion = '116';

// Each write gets fresh objects shaped as the registry hands them over (decoded from storage, so nothing shared across writes).
const writes: Write[] = [
  {
    name: 'pod create',
    params: () => ({ old: undefined, updated: pod(), manager: 'bench-driver', typeName: podType, apiVersion: 'v1', now: T0, resetFields: [['status']] }),
  },
  {
    name: 'pods/status merge patch',
    params: () => {
      const old = structuredClone(created);
      const updated: KubeObject = { ...old, metadata: structuredClone(old.metadata), status: structuredClone(runningStatus) };
      delete updated.metadata.resourceVersion;
      return { old, updated, manager: 'bench-sim', typeName: podType, apiVersion: 'v1', now: T1, subresource: 'status' };
    },
  },
  {
    name: 'lease renewal PUT',
    params: () => {
      const old = structuredClone(leased);
      const updated = structuredClone(leased);
      (updated['spec'] as { renewTime: string }).renewTime = '2026-11-26T16:39:00.852000Z';
      delete updated.metadata.resourceVersion;
      return { old, updated, manager: 'bench-sim', typeName: leaseType, apiVersion: 'coordination.k8s.io/v1', now: T1 };
    },
  },
];

/** CPU µs (this process, all threads) per call of `fn` over `iterations` prepared inputs (preparing them is not counted). */
function time(fn: (p: UpdateParams) => void, w: Write): number {
  const inputs = Array.from({ length: iterations }, w.params);
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.cpuUsage();
  for (const p of inputs) fn(p);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / iterations;
}


function run(fn: (p: UpdateParams) => void, w: Write): unknown {
  const p = w.params();
  fn(p);
  return p.updated.metadata.managedFields;
}

for (const w of writes) {
  const general = JSON.stringify(run(updateManagedFieldsGeneral, w));
  const fast = JSON.stringify(run(updateManagedFields, w));
  if (general !== fast) throw new Error(`${w.name}: fast path output differs\n${general}\n${fast}`);
}

console.log(`bench/managed-fields: ${rounds} rounds × ${iterations} writes each, general and fast interleaved (best round, CPU µs per write)`);
for (const w of writes) {
  const g: number[] = [];
  const f: number[] = [];
  time(updateManagedFieldsGeneral, w);
  time(updateManagedFields, w);
  for (let r = 0; r < rounds; r++) {
    g.push(time(updateManagedFieldsGeneral, w));
    f.push(time(updateManagedFields, w));
  }
  const mg = Math.min(...g);
  const mf = Math.min(...f);
  console.log(`  ${w.name.padEnd(26)} general ${mg.toFixed(2).padStart(7)} µs   fast ${mf.toFixed(2).padStart(7)} µs   ×${(mg / mf).toFixed(2)}`);
}
