// Which services to look at when a pod changes: those in its namespace whose
// selector matches the pod's labels before or after the change.

import type { KubeObject } from '../../api/meta.ts';
import type { Lister } from '../../client/interfaces.ts';
import { selectorFromSet } from '../../machinery/labels.ts';
import { keyOf } from '../common/keys.ts';
import { hasSelector } from './pod-addresses.ts';
import type { Service } from './types.ts';

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
