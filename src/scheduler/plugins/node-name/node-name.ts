// NodeName: a pod naming a node may go only there.

import type { Plugin } from '../../framework/interface.ts';
import { Code, shared } from '../../framework/status.ts';

export const errReasonNodeName = "node(s) didn't match the requested node name";
const reject = shared(Code.UnschedulableAndUnresolvable, 'NodeName', errReasonNodeName);

export function nodeName(): Plugin {
  return {
    name: 'NodeName',
    events: ['NodeAdd'],
    filter(_state, pod, node) {
      const want = pod.pod.spec?.nodeName;
      return !want || want === node.name ? null : reject;
    },
  };
}
