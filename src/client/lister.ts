// Read-only queries over an informer's indexer, with label selectors.

import type { KubeObject } from '../api/meta.ts';
import { parseSelector, type Selector } from '../machinery/labels.ts';
import type { Lister } from './interfaces.ts';
import { namespaceIndex, type Indexer } from './indexer.ts';
import { keyFor } from './keys.ts';

/** Selectors are parsed once: controllers ask with the same few strings over and over. */
const parsed = new Map<string, Selector>();

function selectorFor(s: string): Selector {
  let sel = parsed.get(s);
  if (!sel) {
    sel = parseSelector(s);
    if (parsed.size > 1000) parsed.clear();
    parsed.set(s, sel);
  }
  return sel;
}

export class IndexerLister<T extends KubeObject> implements Lister<T> {
  private readonly indexer: Indexer<T>;

  constructor(indexer: Indexer<T>) {
    this.indexer = indexer;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.indexer.get(keyFor(namespace, name));
  }

  /** Every object, or those of one namespace; `labelSelector` in the string form (`app=web,tier!=db`). */
  list(namespace?: string, labelSelector?: string): T[] {
    const all = namespace ? this.indexer.byIndex(namespaceIndex, namespace) : [...this.indexer.values()];
    if (!labelSelector) return all;
    const sel = selectorFor(labelSelector);
    if (sel.empty) return all;
    return all.filter((o) => sel.matches(o.metadata.labels));
  }

  byIndex(index: string, value: string): T[] {
    return this.indexer.byIndex(index, value);
  }
}
