// Our own writes, remembered until the informer has caught up with them, so a
// sync right after a create does not create the same endpoints again.

import type { EndpointSlice } from './types.ts';

const rv = (s: EndpointSlice | undefined): number => Number(s?.metadata.resourceVersion ?? 0);

export class SliceTracker {
  private readonly written = new Map<string, Map<string, EndpointSlice | 'deleted'>>();

  wrote(serviceKey: string, slice: EndpointSlice): void {
    this.entries(serviceKey).set(slice.metadata.name!, slice);
  }

  deleted(serviceKey: string, slice: EndpointSlice): void {
    this.entries(serviceKey).set(slice.metadata.name!, 'deleted');
  }

  forget(serviceKey: string): void {
    this.written.delete(serviceKey);
  }

  /** The cached slices with our newer writes laid over them; entries the cache has caught up with are dropped. */
  overlay(serviceKey: string, cached: readonly EndpointSlice[]): EndpointSlice[] {
    const mine = this.written.get(serviceKey);
    if (!mine) return [...cached];
    const byName = new Map(cached.map((s) => [s.metadata.name!, s]));
    for (const [name, w] of mine) {
      const seen = byName.get(name);
      if (w === 'deleted') {
        if (seen) byName.delete(name);
        else mine.delete(name);
      } else if (!seen || rv(seen) < rv(w)) {
        byName.set(name, w);
      } else {
        mine.delete(name);
      }
    }
    if (mine.size === 0) this.written.delete(serviceKey);
    return [...byName.values()];
  }

  private entries(serviceKey: string): Map<string, EndpointSlice | 'deleted'> {
    let m = this.written.get(serviceKey);
    if (!m) this.written.set(serviceKey, (m = new Map()));
    return m;
  }
}
