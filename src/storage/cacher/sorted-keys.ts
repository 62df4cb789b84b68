// A sorted array of keys with binary-search insert/remove, so a prefix listing
// is a lower-bound search plus a scan, with no sort per request.

export class SortedKeys {
  private keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** Replaces the content; `keys` need not be sorted. */
  reset(keys: string[]): void {
    this.keys = [...keys].sort(compare);
  }

  insert(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
  }

  remove(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** Index of the first key >= `key`. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Calls `fn` for keys under `prefix` that sort after `after` (exclusive), in order, until it returns false. */
  scan(prefix: string, after: string | undefined, fn: (key: string) => boolean): void {
    const keys = this.keys;
    let i = this.lowerBound(after !== undefined && after > prefix ? after : prefix);
    if (after !== undefined && keys[i] === after) i++;
    for (; i < keys.length; i++) {
      const k = keys[i]!;
      if (!k.startsWith(prefix) || !fn(k)) return;
    }
  }

  /** Number of keys under `prefix` after `after` (exclusive). */
  countRange(prefix: string, after?: string): number {
    const from = this.lowerBound(after !== undefined && after > prefix ? after : prefix);
    const start = after !== undefined && this.keys[from] === after ? from + 1 : from;
    // Keys under a prefix are contiguous; find the end by binary search on the prefix's upper bound.
    let lo = start;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]!.startsWith(prefix) || this.keys[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo - start;
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
