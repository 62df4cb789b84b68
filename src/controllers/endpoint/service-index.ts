// Which services to look at when a pod changes: those in its namespace whose
// selector matches the pod's labels before or after the change.

import type { KubeObject } from '../../api/meta.ts';
import type { Informer, Lister, WorkQueue } from '../../client/interfaces.ts';
import { selectorFromSet } from '../../machinery/labels.ts';
import { keyOf } from '../common/keys.ts';
import { hasSelector } from './pod-addresses.ts';
import type { Pod, Service } from './types.ts';

export function servicesForPod(services: Lister<Service>, ...pods: (KubeObject | undefined)[]): string[] {
  const keys = new Set<string>();
  for (const pod of pods) {
    if (!pod) continue;
    for (const svc of services.list(pod.metadata.namespace)) {
      if (hasSelector(svc) && selectorFromSet(svc.spec?.selector).matches(pod.metadata.labels)) keys.add(keyOf(svc));
    }
  }
  return [...keys];
}

/** Both endpoint controllers sync a Service when it changes and when any pod it selects changes. */
export function enqueueServicesAndTheirPods(queue: WorkQueue<string>, services: Informer<Service>, pods: Informer<Pod>): void {
  services.addEventHandler({
    onAdd: (s) => queue.add(keyOf(s)),
    onUpdate: (_o, s) => queue.add(keyOf(s)),
    onDelete: (s) => queue.add(keyOf(s)),
  });
  const onPod = (...ps: (Pod | undefined)[]) => {
    for (const k of servicesForPod(services.lister, ...ps)) queue.add(k);
  };
  pods.addEventHandler({ onAdd: (p) => onPod(p), onUpdate: (o, p) => onPod(o, p), onDelete: (p) => onPod(p) });
}
