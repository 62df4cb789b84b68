// Writes pod statuses through pods/status: the latest status per pod wins,
// unchanged statuses are not sent, a bounded number of writes are in flight
// (shared by every hollow node of a sim).

import { resourceFor } from '../api/scheme.ts';
import type { Client } from '../client/interfaces.ts';
import { isConflict, isInvalid, isNotFound, type StatusError } from '../machinery/status.ts';
import type { Pod, PodStatus } from './types.ts';

const pods = resourceFor('', 'v1', 'pods')!;

/** `text`: the status as JSON, made once per write to compare with what was last sent. */
type Pending = { pod: Pod; status: PodStatus; text: string; done: (() => void)[] };

export class PodStatusWriter {
  private readonly client: Client;
  private readonly log: (line: string) => void;
  private readonly concurrency: number;
  private readonly pending = new Map<string, Pending>();
  private readonly queue: string[] = [];
  private readonly lastSent = new Map<string, string>();
  private inFlight = 0;
  /** Writes done, for benchmarks. */
  written = 0;

  constructor(client: Client, log: (line: string) => void, concurrency = 32) {
    this.client = client;
    this.log = log;
    this.concurrency = concurrency;
  }

  /** Resolves once this status (or a later one) has been written or found unnecessary. */
  write(pod: Pod, status: PodStatus): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    const text = JSON.stringify(status);
    if (this.lastSent.get(uid) === text && !this.pending.has(uid)) return Promise.resolve();
    return new Promise((resolve) => {
      const p = this.pending.get(uid);
      if (p) {
        p.pod = pod;
        p.status = status;
        p.text = text;
        p.done.push(resolve);
        return;
      }
      this.pending.set(uid, { pod, status, text, done: [resolve] });
      this.queue.push(uid);
      this.pump();
    });
  }

  forget(uid: string): void {
    this.lastSent.delete(uid);
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const uid = this.queue.shift()!;
      const p = this.pending.get(uid);
      if (!p) continue;
      this.pending.delete(uid);
      this.inFlight++;
      void this.send(uid, p).finally(() => {
        this.inFlight--;
        for (const d of p.done) d();
        this.pump();
      });
    }
  }

  private async send(uid: string, p: Pending): Promise<void> {
    const { text } = p;
    if (this.lastSent.get(uid) === text) return;
    // Merge patch: lists are replaced whole; fields we no longer report are nulled.
    const status: Record<string, unknown> = { ...p.status };
    for (const k of Object.keys(p.pod.status ?? {})) if (!(k in status)) status[k] = null;
    const m = p.pod.metadata;
    try {
      await this.client.patch(pods, m.namespace, m.name ?? '', 'merge', { metadata: { uid: m.uid }, status }, { subresource: 'status', discardResult: true });
      this.lastSent.set(uid, text);
      this.written++;
    } catch (e) {
      // Gone, or a new pod of that name (the API server refuses a uid that is not the pod's): nothing to report.
      if (isNotFound(e) || isConflict(e) || isOtherPod(e)) return;
      this.log(`pod ${m.namespace}/${m.name}: status update failed: ${(e as Error).message}`);
    }
  }
}

/** The 422 for a write whose metadata.uid is not the stored object's. */
const isOtherPod = (e: unknown): boolean => isInvalid(e) && Boolean((e as StatusError).status.details?.causes?.some((c) => c.field === 'metadata.uid'));
