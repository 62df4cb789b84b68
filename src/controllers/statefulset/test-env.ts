// For tests of one reconcile: a real in-process API server in fake time, listers
// that are snapshots of it (refreshed before each sync, so the test decides what
// the cache has seen), a recorder that keeps events, and a kubelet stand-in.

import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind, type ResourceInfo } from '../../api/scheme.ts';
import type { EventRecorder, Lister } from '../../client/interfaces.ts';
import { startTestCluster, type TestCluster } from '../../client/testing/test-cluster.ts';
import { FakeClock, rfc3339 } from '../../machinery/clock.ts';
import { parseSelector } from '../../machinery/labels.ts';
import type { Pod } from '../common/types.ts';

export class SnapshotLister<T extends KubeObject> implements Lister<T> {
  private items: T[] = [];
  private readonly indexes = new Map<string, (o: T) => string[]>();
  private readonly env: { cluster: TestCluster };
  readonly resource: ResourceInfo;
  constructor(env: { cluster: TestCluster }, resource: ResourceInfo) {
    this.env = env;
    this.resource = resource;
  }
  async refresh(): Promise<void> {
    this.items = (await this.env.cluster.client.list<T>(this.resource, undefined)).items;
  }
  addIndex(name: string, fn: (o: T) => string[]): void {
    this.indexes.set(name, fn);
  }
  get(namespace: string | undefined, name: string): T | undefined {
    return this.items.find((o) => o.metadata.name === name && (o.metadata.namespace ?? undefined) === namespace);
  }
  list(namespace?: string, labelSelector?: string): T[] {
    const sel = labelSelector ? parseSelector(labelSelector) : undefined;
    return this.items.filter((o) => (!namespace || o.metadata.namespace === namespace) && (!sel || sel.matches(o.metadata.labels)));
  }
  byIndex(index: string, value: string): T[] {
    const fn = this.indexes.get(index);
    if (index === 'namespace') return this.list(value);
    return fn ? this.items.filter((o) => fn(o).includes(value)) : [];
  }
}

export type SyncEnv = Awaited<ReturnType<typeof startSyncEnv>>;

export async function startSyncEnv() {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const cluster = await startTestCluster({ clock });
  const events: string[] = [];
  const requeues = new Map<string, number>();
  const listers: SnapshotLister<KubeObject>[] = [];
  const env = {
    cluster,
    client: cluster.client,
    clock,
    events,
    requeues,
    recorder: { event: (_o: KubeObject, type: string, reason: string, message: string) => void events.push(`${type} ${reason} ${message}`) } as EventRecorder,
    requeueAfter: (key: string, ms: number) => void requeues.set(key, ms),
    lister<T extends KubeObject>(group: string, kind: string): SnapshotLister<T> {
      const l = new SnapshotLister<T>(env, resourceForKind(group, kind)!);
      listers.push(l as unknown as SnapshotLister<KubeObject>);
      return l;
    },
    /** Re-reads every lister: what an informer would have after catching up. */
    async refresh(): Promise<void> {
      await Promise.all(listers.map((l) => l.refresh()));
    },
    async pods(namespace = 'default'): Promise<Pod[]> {
      const list = (await cluster.client.list<Pod>(resourceForKind('', 'Pod')!, namespace)).items;
      return list.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
    },
    /** What a kubelet would report: phase, Ready, and container exit codes. */
    async setPodStatus(p: Pod, phase: 'Running' | 'Succeeded' | 'Failed', opts: { ready?: boolean; exitCode?: number } = {}): Promise<Pod> {
      const fresh = await cluster.client.get<Pod>(resourceForKind('', 'Pod')!, p.metadata.namespace, p.metadata.name ?? '');
      const ts = rfc3339(clock.now());
      const ready = opts.ready ?? phase === 'Running';
      const status = {
        phase,
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: ts }],
        containerStatuses:
          phase === 'Running'
            ? [{ name: 'c', ready, restartCount: 0, image: 'x', imageID: '', state: { running: { startedAt: ts } } }]
            : [{ name: 'c', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: opts.exitCode ?? (phase === 'Succeeded' ? 0 : 1), finishedAt: ts } } }],
      };
      return cluster.client.update<Pod>(resourceForKind('', 'Pod')!, p.metadata.namespace, { ...fresh, status } as Pod, { subresource: 'status' });
    },
    stop: () => cluster.stop(),
  };
  return env;
}

export const podTemplate = (labels: Record<string, string>, restartPolicy = 'Always') => ({
  metadata: { labels },
  spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox' }] },
});
