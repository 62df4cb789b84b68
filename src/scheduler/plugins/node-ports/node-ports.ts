// NodePorts: a host port (per protocol and IP; 0.0.0.0 takes every IP) is used once per node.

import type { Plugin } from '../../framework/interface.ts';
import type { HostPort } from '../../framework/node-info.ts';
import { Code, shared, skip } from '../../framework/status.ts';

export const errReasonPorts = "node(s) didn't have free ports for the requested pod ports";
const wildcard = '0.0.0.0';
const reject = shared(Code.Unschedulable, 'NodePorts', errReasonPorts);

export function portsConflict(want: readonly HostPort[], used: readonly HostPort[]): boolean {
  for (const w of want) {
    for (const u of used) {
      if (u.port !== w.port || u.protocol !== w.protocol) continue;
      if (u.ip === w.ip || u.ip === wildcard || w.ip === wildcard) return true;
    }
  }
  return false;
}

export function nodePorts(): Plugin {
  return {
    name: 'NodePorts',
    events: ['NodeAdd', 'AssignedPodDelete'],
    preFilter(_state, pod) {
      return pod.hostPorts.length === 0 ? skip() : null;
    },
    filter(_state, pod, node) {
      return portsConflict(pod.hostPorts, node.usedPorts) ? reject : null;
    },
  };
}
