// A hash of a container's spec, kept beside each runtime container, so the
// kubelet notices when the pod's spec of a running container changed (e.g. a
// new image) and restarts it, as Kubernetes does with io.kubernetes.container.hash.

import { createHash } from 'node:crypto';
import type { ContainerSpec } from './types.ts';

/** The annotation a runtime container carries its spec hash in (when the container config sets it). */
export const containerHashAnnotation = 'io.kubernetes.container.hash';

const cache = new WeakMap<ContainerSpec, string>();

/** Equal specs hash equally whatever their key order; `resources` is left out (resized in place, not restarted). */
export function containerHash(c: ContainerSpec): string {
  let h = cache.get(c);
  if (h === undefined) {
    const { resources: _r, ...rest } = c;
    h = createHash('sha256').update(canonical(rest)).digest('hex').slice(0, 16);
    cache.set(c, h);
  }
  return h;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
