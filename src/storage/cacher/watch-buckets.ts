// Watchers grouped by prefix, so an event reaches only the watchers whose
// prefix covers its key (most watch one namespace) without scanning them all.

export type PrefixedWatcher = { readonly prefix: string };

export class WatchBuckets<W extends PrefixedWatcher> {
  private readonly buckets = new Map<string, Set<W>>();
  /** Prefixes not ending in '/', which the per-segment lookup cannot find. */
  private readonly odd = new Set<string>();

  get size(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.size;
    return n;
  }

  add(w: W): void {
    let b = this.buckets.get(w.prefix);
    if (!b) {
      b = new Set();
      this.buckets.set(w.prefix, b);
      if (!w.prefix.endsWith('/') && w.prefix !== '') this.odd.add(w.prefix);
    }
    b.add(w);
  }

  delete(w: W): void {
    const b = this.buckets.get(w.prefix);
    if (!b) return;
    b.delete(w);
    if (b.size === 0) {
      this.buckets.delete(w.prefix);
      this.odd.delete(w.prefix);
    }
  }

  /** Calls `fn` for every watcher whose prefix `key` starts with. */
  forEachMatching(key: string, fn: (w: W) => void): void {
    this.buckets.get('')?.forEach(fn);
    for (let i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) {
      this.buckets.get(key.slice(0, i + 1))?.forEach(fn);
    }
    for (const p of this.odd) if (key.startsWith(p)) this.buckets.get(p)?.forEach(fn);
  }

  all(): W[] {
    const out: W[] = [];
    for (const b of this.buckets.values()) out.push(...b);
    return out;
  }
}
