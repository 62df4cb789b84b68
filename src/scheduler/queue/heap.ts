// A binary heap with removal by key, for the active queue.

export class Heap<T> {
  private items: T[] = [];
  private readonly pos = new Map<string, number>();
  private readonly keyOf: (t: T) => string;
  private readonly less: (a: T, b: T) => boolean;

  constructor(keyOf: (t: T) => string, less: (a: T, b: T) => boolean) {
    this.keyOf = keyOf;
    this.less = less;
  }

  get size(): number {
    return this.items.length;
  }
  has(key: string): boolean {
    return this.pos.has(key);
  }
  get(key: string): T | undefined {
    const i = this.pos.get(key);
    return i === undefined ? undefined : this.items[i];
  }
  peek(): T | undefined {
    return this.items[0];
  }
  values(): readonly T[] {
    return this.items;
  }

  /** Adds, or replaces the item with the same key. */
  push(t: T): void {
    const key = this.keyOf(t);
    const at = this.pos.get(key);
    if (at !== undefined) {
      this.items[at] = t;
      this.up(at);
      this.down(this.pos.get(key)!);
      return;
    }
    this.items.push(t);
    this.pos.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    const top = this.items[0]!;
    this.removeAt(0);
    return top;
  }

  delete(key: string): T | undefined {
    const at = this.pos.get(key);
    if (at === undefined) return undefined;
    const t = this.items[at]!;
    this.removeAt(at);
    return t;
  }

  private removeAt(i: number): void {
    const last = this.items.pop()!;
    this.pos.delete(this.keyOf(i === this.items.length ? last : this.items[i]!));
    if (i === this.items.length) return;
    this.items[i] = last;
    this.pos.set(this.keyOf(last), i);
    this.up(i);
    this.down(this.pos.get(this.keyOf(last))!);
  }

  private up(i: number): void {
    const items = this.items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i]!, items[parent]!)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < n && this.less(items[l]!, items[best]!)) best = l;
      if (r < n && this.less(items[r]!, items[best]!)) best = r;
      if (best === i) return;
      this.swap(i, best);
      i = best;
    }
  }

  private swap(a: number, b: number): void {
    const items = this.items;
    const t = items[a]!;
    items[a] = items[b]!;
    items[b] = t;
    this.pos.set(this.keyOf(items[a]), a);
    this.pos.set(this.keyOf(items[b]), b);
  }
}
