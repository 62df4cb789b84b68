// The scheduler's writes to the API server: binds, preemption victims, nominated
// nodes, the PodScheduled condition, and Events with the scheduler as source.

import { disruptionCondition, disruptionReasons, isTerminalPhase } from '../api/disruption.ts';
import { resourceFor } from '../api/scheme.ts';
import type { Client, EventRecorder, Lister } from '../client/interfaces.ts';
import type { Clock } from '../machinery/clock.ts';
import { rfc3339 } from '../machinery/clock.ts';
import { selectorFromLabelSelector } from '../machinery/labels.ts';
import { isNotFound } from '../machinery/status.ts';
import type { SchedulerApi } from './framework/interface.ts';
import type { PodInfo } from './framework/node-info.ts';
import type { Nominator } from './queue/nominator.ts';
import type { Pod, PodCondition, PodDisruptionBudget } from './types.ts';

const podsInfo = resourceFor('', 'v1', 'pods')!;

export class ApiWriter implements SchedulerApi {
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;
  private readonly nominator: Nominator;
  private readonly pdbLister: Lister<PodDisruptionBudget> | undefined;
  private readonly log: (line: string) => void;

  constructor(opts: { client: Client; recorder: EventRecorder; clock: Clock; nominator: Nominator; pdbs?: Lister<PodDisruptionBudget>; log: (line: string) => void }) {
    this.client = opts.client;
    this.recorder = opts.recorder;
    this.clock = opts.clock;
    this.nominator = opts.nominator;
    this.pdbLister = opts.pdbs;
    this.log = opts.log;
  }

  async bind(pi: PodInfo, nodeName: string): Promise<void> {
    const { name, namespace } = pi.pod.metadata;
    await this.client.postSubresource(podsInfo, namespace, name ?? '', 'binding', {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name, namespace, ...(pi.pod.metadata.uid ? { uid: pi.pod.metadata.uid } : {}) },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    });
  }

  scheduled(pi: PodInfo, nodeName: string): void {
    const { name, namespace } = pi.pod.metadata;
    this.recorder.event(pi.pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${nodeName}`);
  }

  async evict(victim: PodInfo, preemptor: PodInfo, nodeName: string): Promise<void> {
    const { name, namespace, uid } = victim.pod.metadata;
    try {
      // Marked first, so that a Job's podFailurePolicy can tell a preemption from a failure.
      if (!isTerminalPhase(victim.pod.status?.phase)) {
        const why = disruptionReasons.preemption(preemptor.pod.spec?.schedulerName ?? 'default-scheduler');
        await this.patchStatus(victim.pod, { conditions: [disruptionCondition(why, this.clock.now())] });
      }
      await this.client.delete(podsInfo, namespace, name ?? '', uid ? { preconditions: { uid } } : {});
      this.recorder.event(victim.pod, 'Normal', 'Preempted', `Preempted by pod ${preemptor.pod.metadata.uid ?? preemptor.key} on node ${nodeName}`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async setNominatedNodeName(pi: PodInfo, nodeName: string): Promise<void> {
    this.nominator.set(pi, nodeName);
    // Lower-priority pods nominated to the same node lose their claim.
    for (const other of this.nominator.forNode(nodeName)) {
      if (other.key !== pi.key && other.priority < pi.priority) {
        this.nominator.delete(other.key);
        await this.patchStatus(other.pod, { nominatedNodeName: null }).catch((err: unknown) => this.log(`scheduler: clearing nomination of ${other.key}: ${String(err)}`));
      }
    }
    await this.patchStatus(pi.pod, { nominatedNodeName: nodeName });
  }

  nominatedPods(nodeName: string): readonly PodInfo[] {
    return this.nominator.forNode(nodeName);
  }

  pdbs(): readonly { namespace: string; matches(pod: PodInfo): boolean; allowed: number }[] {
    return (this.pdbLister?.list() ?? []).map((b) => {
      let selector = selectorFromLabelSelector({ matchExpressions: [{ key: 'x', operator: 'In', values: [] }] });
      try {
        if (b.spec?.selector) selector = selectorFromLabelSelector(b.spec.selector);
      } catch {
        // An invalid selector protects nothing.
      }
      return { namespace: b.metadata.namespace ?? 'default', matches: (p: PodInfo) => selector.matches(p.pod.metadata.labels), allowed: b.status?.disruptionsAllowed ?? 0 };
    });
  }

  /** FailedScheduling: the Event, and PodScheduled=False on the pod (written only when it changes). */
  async failed(pod: Pod, reason: 'Unschedulable' | 'SchedulerError', message: string, nominatedNodeName?: string): Promise<void> {
    this.recorder.event(pod, 'Warning', 'FailedScheduling', message);
    const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    const sameCondition = current?.status === 'False' && current.reason === reason && current.message === message;
    const sameNomination = nominatedNodeName === undefined || pod.status?.nominatedNodeName === nominatedNodeName;
    if (sameCondition && sameNomination) return;
    const condition: PodCondition = { type: 'PodScheduled', status: 'False', reason, message, lastProbeTime: null, lastTransitionTime: current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : rfc3339(this.clock.now()) };
    await this.patchStatus(pod, { conditions: [condition], ...(nominatedNodeName !== undefined ? { nominatedNodeName } : {}) });
  }

  /** A strategic merge patch: conditions merge by type, so others' conditions stay. */
  private async patchStatus(pod: Pod, status: Record<string, unknown>): Promise<void> {
    try {
      await this.client.patch(podsInfo, pod.metadata.namespace, pod.metadata.name ?? '', 'strategic', { status }, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
