// Writes pod statuses through pods/status: the latest status per pod wins,
// unchanged statuses are not sent, a bounded number of writes are in flight
// (shared by every hollow node of a sim).

import { resourceFor } from '../api/scheme.ts';
import type { Client } from '../client/interfaces.ts';
import { isConflict, isInvalid, isNotFound, type StatusError } from '../machinery/status.ts';
import { kubeletConditions } from './pod-status.ts';
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
    const m = p.pod.metadata;
    try {
      await this.client.patch(pods, m.namespace, m.name ?? '', 'strategic', { metadata: { uid: m.uid }, status: statusPatch(p.pod, p.status) }, { subresource: 'status', discardResult: true });
      this.lastSent.set(uid, text);
      this.written++;
    } catch (e) {
      // Gone, or a new pod of that name (the API server refuses a uid that is not the pod's): nothing to report.
      if (isNotFound(e) || isConflict(e) || isOtherPod(e)) return;
      this.log(`pod ${m.namespace}/${m.name}: status update failed: ${(e as Error).message}`);
    }
  }
}

/**
 * The strategic merge patch that makes the stored status `status`, as the kubelet sends it. Conditions
 * merge by type and only the kubelet's own are sent, so a condition someone else set meanwhile (a
 * readiness gate, DisruptionTarget) is kept, not overwritten by the copy this node last saw. The pod's
 * and host's IPs replace the lists whole (merged by ip, a new sandbox's IP would join the old one);
 * other lists are atomic; fields no longer reported are nulled.
 */
export function statusPatch(pod: Pod, status: PodStatus): Record<string, unknown> {
  const patch: Record<string, unknown> = { ...status };
  for (const k of Object.keys(pod.status ?? {})) if (!(k in patch)) patch[k] = null;
  if (status.conditions) {
    // Fields not reported are nulled: a Ready that turned True must lose the reason it had while False.
    patch['conditions'] = status.conditions.filter((c) => kubeletConditions.has(c.type)).map((c) => ({ reason: null, message: null, ...c }));
    // The stored list in this status's order, so that its echo compares equal (status-echo.ts).
    patch['$setElementOrder/conditions'] = status.conditions.map((c) => ({ type: c.type }));
  }
  for (const k of ['podIPs', 'hostIPs'] as const) {
    const ips = status[k];
    if (ips) patch[k] = [...ips, { $patch: 'replace' }];
  }
  return patch;
}

/** The 422 for a write whose metadata.uid is not the stored object's. */
const isOtherPod = (e: unknown): boolean => isInvalid(e) && Boolean((e as StatusError).status.details?.causes?.some((c) => c.field === 'metadata.uid'));
