// Taint-based eviction: a pod on a node with NoExecute taints is deleted at
// once when it does not tolerate one of them, or after the smallest
// tolerationSeconds of the tolerations that match; leaving the taints cancels it.

import { disruptionCondition, disruptionReasons, isTerminalPhase } from '../../api/disruption.ts';
import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { Client, EventRecorder } from '../../client/interfaces.ts';
import type { Clock, Timer } from '../../machinery/clock.ts';
import { isConflict, isInvalid, isNotFound } from '../../machinery/status.ts';
import { noExecuteDelayMs, type Node, type Taint, type Toleration } from './taints.ts';

export type Pod = KubeObject & { spec?: { nodeName?: string; tolerations?: Toleration[] }; status?: { phase?: string } };

const podResource = resourceForKind('', 'Pod')!;

export class TaintEviction {
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly recorder: EventRecorder;
  private readonly log: (line: string) => void;
  /** Pending evictions by pod uid: when, and the timer that will do it. */
  private readonly pending = new Map<string, { at: number; timer: Timer }>();
  /** Evictions issued (for tests and the benchmark). */
  evicted = 0;

  constructor(client: Client, clock: Clock, recorder: EventRecorder, log: (line: string) => void) {
    this.client = client;
    this.clock = clock;
    this.recorder = recorder;
    this.log = log;
  }

  /** Looks at one pod on its (current) node; call on every pod change and for every pod of a node whose taints changed. */
  process(pod: Pod, node: Node | undefined): void {
    const uid = pod.metadata.uid ?? '';
    const phase = pod.status?.phase;
    const taints: Taint[] = (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (!node || taints.length === 0 || pod.metadata.deletionTimestamp || phase === 'Succeeded' || phase === 'Failed') {
      this.cancel(uid);
      return;
    }
    const delay = noExecuteDelayMs(pod.spec?.tolerations ?? [], taints);
    if (delay === Infinity) {
      this.cancel(uid);
      return;
    }
    // The clock starts when the taint was added, so a restarted controller does not wait twice.
    const since = Math.min(...taints.map((t) => (t.timeAdded ? Date.parse(t.timeAdded) : this.clock.now())).filter((x) => !Number.isNaN(x)));
    const at = Math.min(this.clock.now() + delay, (Number.isFinite(since) ? since : this.clock.now()) + delay);
    const existing = this.pending.get(uid);
    if (existing && existing.at <= at) return;
    this.cancel(uid);
    const wait = Math.max(0, at - this.clock.now());
    const timer = this.clock.setTimeout(() => void this.evict(pod), wait);
    this.pending.set(uid, { at, timer });
  }

  cancel(uid: string): void {
    const p = this.pending.get(uid);
    if (!p) return;
    p.timer.cancel();
    this.pending.delete(uid);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  stop(): void {
    for (const p of this.pending.values()) p.timer.cancel();
    this.pending.clear();
  }

  private async evict(pod: Pod): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    this.pending.delete(uid);
    try {
      // Marked first, so that a Job's podFailurePolicy can tell the eviction from a failure.
      if (!isTerminalPhase((pod as { status?: { phase?: string } }).status?.phase)) {
        const condition = disruptionCondition(disruptionReasons.taintManager, this.clock.now());
        await this.client.patch(podResource, pod.metadata.namespace, pod.metadata.name!, 'strategic', { metadata: { uid }, status: { conditions: [condition] } }, { subresource: 'status' });
      }
      await this.client.delete(podResource, pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid } });
      this.evicted++;
      this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`);
    } catch (e) {
      // Gone, or another pod of that name now (its uid differs): nothing to evict.
      if (isNotFound(e) || isConflict(e) || isInvalid(e)) return;
      this.log(`nodelifecycle: evicting pod ${pod.metadata.namespace}/${pod.metadata.name}: ${(e as Error).message}; retrying`);
      const timer = this.clock.setTimeout(() => void this.evict(pod), 1000);
      this.pending.set(uid, { at: this.clock.now() + 1000, timer });
    }
  }
}
