// One informer per resource, namespace and selector per process, so every
// component of a process shares one list and one watch per resource.

import type { KubeObject } from '../api/meta.ts';
import type { ResourceInfo } from '../api/scheme.ts';
import type { Clock } from '../machinery/clock.ts';
import type { Client, Informer, SharedInformerFactory } from './interfaces.ts';
import { SharedInformer } from './informer.ts';

export type InformerScope = { namespace?: string; labelSelector?: string; fieldSelector?: string };

/** `start()` starts the informers asked for so far; call it again after asking for more. */
export class InformerFactory implements SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private readonly started = new Set<string>();
  private readonly client: Client;
  private readonly log: ((line: string) => void) | undefined;
  private stopped = false;

  /** Reflectors retry network errors in real time even when the component runs on a fake clock. */
  constructor(client: Client, opts: { clock?: Clock; log?: (line: string) => void } = {}) {
    this.client = client;
    this.log = opts.log;
  }

  informerFor<T extends KubeObject>(r: ResourceInfo, scope: InformerScope = {}): Informer<T> {
    const key = [r.group, r.version, r.resource, scope.namespace ?? '', scope.labelSelector ?? '', scope.fieldSelector ?? ''].join('|');
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new SharedInformer<KubeObject>({
        client: this.client,
        resource: r,
        ...scope,
        ...(this.log ? { log: this.log } : {}),
      });
      this.informers.set(key, inf);
    }
    return inf as unknown as Informer<T>;
  }

  start(): void {
    if (this.stopped) return;
    for (const [key, inf] of this.informers) {
      if (this.started.has(key)) continue;
      this.started.add(key);
      inf.run();
    }
  }

  /** Resolves once every started informer has its initial list. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.started].map((k) => this.informers.get(k)!.waitForSync()));
  }

  stop(): void {
    this.stopped = true;
    for (const inf of this.informers.values()) inf.stop();
  }
}
