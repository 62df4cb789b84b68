// Periodic compaction of etcd's history, safe with several API servers on one
// cluster: a compare-and-swap on the version of one key elects the server that
// compacts in each period, the others only learn the new compacted revision.
// Each tick compacts to the revision seen one period earlier, so at least one
// period (and `window` revisions) of history stays watchable.

import { realClock, type Clock, type Timer } from '../../machinery/clock.ts';
import type { EtcdClient } from './etcd-client.ts';

export const COMPACT_KEY = '/skiff/compact_rev_key';

export type EtcdCompactorOptions = {
  /** Period in ms; 0 turns periodic compaction off. Default 5 minutes. */
  compactInterval?: number;
  /** Revisions of history always kept. Default 10,000. */
  compactWindow?: number;
  clock?: Clock;
  log?: (line: string) => void;
};

export class EtcdCompactor {
  /** Oldest revision still listable, as far as this process knows. */
  compacted = 0;
  private readonly client: EtcdClient;
  private readonly window: number;
  private readonly log: (line: string) => void;
  private readonly timer: Timer | undefined;
  /** Version of COMPACT_KEY last seen; the CAS fails if another server compacted since. */
  private version = 0;
  /** The current revision at the previous tick: the next compaction target. */
  private previous = 0;
  private running: Promise<void> = Promise.resolve();

  constructor(client: EtcdClient, opts: EtcdCompactorOptions = {}) {
    this.client = client;
    this.window = opts.compactWindow ?? 10_000;
    this.log = opts.log ?? ((line) => console.error(line));
    const interval = opts.compactInterval ?? 5 * 60_000;
    const clock = opts.clock ?? realClock;
    if (interval > 0) this.timer = clock.setInterval(() => void this.tick(), interval);
  }

  /** Reads what the cluster has compacted so far. */
  async load(): Promise<void> {
    const res = await this.client.range({ key: Buffer.from(COMPACT_KEY) });
    const kv = res.kvs[0];
    if (kv) {
      this.version = kv.version;
      this.compacted = Math.max(this.compacted, Number(kv.value.toString('utf8')) || 0);
    }
  }

  /** One period: compact to the previous tick's revision if this server wins the CAS. */
  tick(): Promise<void> {
    this.running = this.running.then(async () => {
      try {
        const current = (await this.client.range({ key: Buffer.from(COMPACT_KEY), count_only: true })).header.revision;
        const target = Math.min(this.previous, current - this.window);
        this.previous = current;
        if (target > this.compacted) await this.compactTo(target);
        else await this.load();
      } catch (err) {
        this.log(`etcd compaction failed: ${(err as Error).message}`);
      }
    });
    return this.running;
  }

  /** Compacts to `revision` unless another server compacted in the meantime. */
  async compactTo(revision: number): Promise<boolean> {
    const key = Buffer.from(COMPACT_KEY);
    const res = await this.client.txn({
      compare: [{ result: 'EQUAL', target: 'VERSION', key, version: this.version }],
      success: [{ request_put: { key, value: Buffer.from(String(revision)) } }],
      failure: [{ request_range: { key } }],
    });
    if (!res.succeeded) {
      const kv = res.responses[0]?.response_range?.kvs[0];
      if (kv) {
        this.version = kv.version;
        this.compacted = Math.max(this.compacted, Number(kv.value.toString('utf8')) || 0);
      }
      return false;
    }
    this.version++;
    try {
      await this.client.compact(revision);
    } catch (err) {
      // Already compacted further (by hand or another tool) is fine.
      if (!/compacted/.test((err as Error).message)) throw err;
    }
    this.compacted = Math.max(this.compacted, revision);
    return true;
  }

  /** Compacts to `revision` now, whatever other servers did. */
  async force(revision: number): Promise<void> {
    await this.load();
    for (let i = 0; i < 5 && this.compacted < revision; i++) {
      if (await this.compactTo(revision)) return;
    }
  }

  /** Learned from an etcd error: history below `revision` is gone. */
  observe(revision: number): void {
    this.compacted = Math.max(this.compacted, revision);
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    await this.running;
  }
}
