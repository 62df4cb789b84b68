// Pods: created Pending with a QoS class, deleted gracefully once bound to a node.

import type { KubeObject } from '../../api/meta.ts';
import type { Strategy, WriteContext } from './strategy.ts';
import { forbidden } from '../../machinery/status.ts';
import type { DeleteOptions } from './store.ts';

type Resources = { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
type Container = { resources?: Resources };

/** Guaranteed when every container limits and requests cpu and memory equally; BestEffort when nothing is set. */
export function qosClass(pod: KubeObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      const l = lim[r];
      const q = req[r] ?? l;
      if (l === undefined || String(q) !== String(l)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

type Toleration = { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number };

/** Does a toleration tolerate a taint with this key and effect (and an empty value)? */
function tolerates(t: Toleration, key: string, effect: string): boolean {
  if (t.effect && t.effect !== effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === key;
  return t.key === key && !t.value;
}

/** Seconds a pod tolerates an unreachable or not-ready node, as kube-apiserver's DefaultTolerationSeconds admission adds them. */
export type DefaultTolerationSeconds = { notReady: number; unreachable: number };

export function podStrategy(defaults: DefaultTolerationSeconds = { notReady: 300, unreachable: 300 }): Strategy {
  const added = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaults.notReady },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaults.unreachable },
  ];
  return {
    generation: false,
    prepareForCreate(pod, ctx) {
      const spec = (pod.spec ??= {}) as Record<string, unknown>;
      // Admission, as Kubernetes' ServiceAccount, Priority and DefaultTolerationSeconds plugins do.
      spec.serviceAccountName ??= 'default';
      spec.serviceAccount = spec.serviceAccountName;
      admitPriority(pod, spec, ctx);
      const tolerations = (spec.tolerations ??= []) as Toleration[];
      for (const t of added) {
        if (!tolerations.some((x) => tolerates(x, t.key, t.effect))) tolerations.push({ ...t });
      }
      pod.status = { phase: 'Pending', qosClass: qosClass(pod) };
    },
    gracePeriod: podGracePeriod,
  };
}

type PriorityClass = KubeObject & { value?: number; globalDefault?: boolean; preemptionPolicy?: string };

/** Priority admission: spec.priority (and preemptionPolicy) from the pod's PriorityClass, or the global default. */
function admitPriority(pod: KubeObject, spec: Record<string, unknown>, ctx: WriteContext): void {
  const classes = ctx.store('scheduling.k8s.io', 'priorityclasses');
  const name = spec.priorityClassName;
  let pc: PriorityClass | undefined;
  if (typeof name === 'string' && name !== '') {
    pc = classes.cache.get(classes.key(undefined, name))?.object as PriorityClass | undefined;
    if (!pc) throw forbidden({ group: '', resource: 'pods' }, pod.metadata.name ?? '', `no PriorityClass with name ${name} was found`);
  } else {
    pc = classes.cache.list('/', {}).items.map((i) => i.object as PriorityClass).find((c) => c.globalDefault);
    if (pc) spec.priorityClassName = pc.metadata.name;
  }
  if (pc) {
    if (spec.priority !== undefined && spec.priority !== pc.value) {
      throw forbidden({ group: '', resource: 'pods' }, pod.metadata.name ?? '', 'the integer value of priority must not be provided in pod spec; priority admission controller computed ' + `${pc.value} from the given PriorityClass name`);
    }
    spec.priority = pc.value ?? 0;
    spec.preemptionPolicy ??= pc.preemptionPolicy ?? 'PreemptLowerPriority';
  } else {
    spec.priority ??= 0;
  }
}

function podGracePeriod(pod: KubeObject, options: DeleteOptions): number {
  const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  // An unbound or finished pod has no kubelet to wait for.
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  const grace = options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, grace);
}

