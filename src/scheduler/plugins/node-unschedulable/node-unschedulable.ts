// NodeUnschedulable: cordoned nodes take only pods tolerating the unschedulable taint.

import type { Plugin } from '../../framework/interface.ts';
import { Code, shared } from '../../framework/status.ts';
import { toleratedBy } from '../../framework/taints.ts';

export const errReasonUnschedulable = 'node(s) were unschedulable';
const reject = shared(Code.UnschedulableAndUnresolvable, 'NodeUnschedulable', errReasonUnschedulable);
const taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export function nodeUnschedulable(): Plugin {
  return {
    name: 'NodeUnschedulable',
    events: ['NodeAdd', 'NodeUpdate'],
    filter(_state, pod, node) {
      if (!node.node?.spec?.unschedulable) return null;
      if (toleratedBy(taint, pod.pod.spec?.tolerations)) return null;
      return reject;
    },
  };
}
