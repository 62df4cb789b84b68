// Informer events into the cache and the queue: bound pods feed the cache, pending
// pods of our profiles feed the queue, and changes that may help rejected pods wake them.

import type { EventHandlers } from '../client/interfaces.ts';
import type { SchedulerCache } from './cache/cache.ts';
import type { PodInfo } from './framework/node-info.ts';
import type { Nominator } from './queue/nominator.ts';
import type { SchedulingQueue } from './queue/scheduling-queue.ts';
import type { Node, Pod } from './types.ts';

export type HandlerDeps = {
  cache: SchedulerCache;
  queue: SchedulingQueue;
  nominator: Nominator;
  /** Whether one of our profiles schedules this pod. */
  responsible(pod: Pod): boolean;
  podInfo(pod: Pod): PodInfo;
};

const keyOf = (pod: Pod) => `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
const assigned = (pod: Pod) => !!pod.spec?.nodeName;
const terminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** What scheduling reads of a pending pod: a change elsewhere (status, resourceVersion) is no reason to retry. */
function schedulingView(pod: Pod): string {
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...meta } = pod.metadata;
  return JSON.stringify([meta, pod.spec]);
}

function nodeView(node: Node): string {
  return JSON.stringify([node.metadata.labels, node.spec?.taints, node.spec?.unschedulable, node.status?.allocatable, node.status?.images?.length]);
}

export function podHandlers(d: HandlerDeps): EventHandlers<Pod> {
  const addPending = (pod: Pod) => {
    if (pod.metadata.deletionTimestamp || terminal(pod) || !d.responsible(pod)) return;
    const pi = d.podInfo(pod);
    d.nominator.set(pi, pod.status?.nominatedNodeName);
    d.queue.add(pi);
  };
  return {
    onAdd(pod) {
      if (assigned(pod)) {
        d.cache.addPod(pod);
        d.queue.onEvent('AssignedPodAdd');
      } else addPending(pod);
    },
    onUpdate(oldPod, pod) {
      const key = keyOf(pod);
      if (assigned(pod)) {
        if (!assigned(oldPod)) {
          d.queue.delete(key);
          d.nominator.delete(key);
        }
        if (terminal(pod)) {
          // A finished pod frees its node.
          d.cache.removePod(pod);
          d.queue.onEvent('AssignedPodDelete');
          return;
        }
        d.cache.updatePod(pod);
        const labelsChanged = JSON.stringify(oldPod.metadata.labels) !== JSON.stringify(pod.metadata.labels);
        if (!assigned(oldPod)) d.queue.onEvent('AssignedPodAdd');
        else if (labelsChanged) d.queue.onEvent('AssignedPodUpdate');
        return;
      }
      if (pod.metadata.deletionTimestamp || terminal(pod) || !d.responsible(pod)) {
        d.queue.delete(key);
        d.nominator.delete(key);
        return;
      }
      // Our own assumption of it is in flight: the bind's echo will settle it.
      if (d.cache.isAssumed(key)) return;
      const pi = d.podInfo(pod);
      d.nominator.set(pi, pod.status?.nominatedNodeName ?? d.nominator.nodeOf(key));
      if (!d.queue.has(key)) d.queue.add(pi);
      else if (schedulingView(oldPod) === schedulingView(pod)) d.queue.refresh(pi);
      else d.queue.update(pi);
    },
    onDelete(pod) {
      const key = keyOf(pod);
      d.queue.delete(key);
      d.nominator.delete(key);
      if (assigned(pod) || d.cache.isAssumed(key)) {
        d.cache.removePod(pod);
        d.cache.forgetPod(key);
        d.queue.onEvent('AssignedPodDelete');
      }
    },
  };
}

export function nodeHandlers(d: HandlerDeps): EventHandlers<Node> {
  return {
    onAdd(node) {
      d.cache.addNode(node);
      d.queue.onEvent('NodeAdd');
    },
    onUpdate(oldNode, node) {
      d.cache.updateNode(node);
      if (nodeView(oldNode) !== nodeView(node)) d.queue.onEvent('NodeUpdate');
    },
    onDelete(node) {
      d.cache.removeNode(node);
      d.queue.onEvent('NodeDelete');
    },
  };
}
