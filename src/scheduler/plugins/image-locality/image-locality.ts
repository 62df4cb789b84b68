// ImageLocality: prefer nodes that already hold the pod's images, weighted by
// image size and by how widely the image is spread (so one node is not favoured forever).

import type { Plugin } from '../../framework/interface.ts';
import { maxNodeScore } from '../../framework/interface.ts';

const mb = 1024 * 1024;
const minThreshold = 23 * mb;
const maxContainerThreshold = 1000 * mb;

/** Docker's default tag: `busybox` is `busybox:latest`. */
export function normalizedImageName(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  if (name.includes('@') || name.slice(lastSlash + 1).includes(':')) return name;
  return `${name}:latest`;
}

export function imageLocality(): Plugin {
  const key = 'ImageLocality';
  return {
    name: key,
    preScore(state, pod, _nodes, snapshot) {
      const images = [...(pod.pod.spec?.initContainers ?? []), ...(pod.pod.spec?.containers ?? [])].map((c) => normalizedImageName(c.image ?? '')).filter((i) => i !== ':latest');
      state.set(key, { images, total: snapshot.nodeInfoList.length, counts: snapshot.imageNodeCount, containers: (pod.pod.spec?.containers ?? []).length + (pod.pod.spec?.initContainers ?? []).length });
      return null;
    },
    score(state, _pod, node) {
      const s = state.get(key) as { images: string[]; total: number; counts: Map<string, number>; containers: number };
      if (node.images.size === 0 || s.total === 0) return 0;
      let sum = 0;
      for (const img of s.images) {
        const size = node.images.get(img);
        if (size === undefined) continue;
        sum += size * ((s.counts.get(img) ?? 0) / s.total);
      }
      const max = maxContainerThreshold * Math.max(1, s.containers);
      if (sum < minThreshold) sum = minThreshold;
      if (sum > max) sum = max;
      return Math.floor((maxNodeScore * (sum - minThreshold)) / (max - minThreshold));
    },
  };
}
