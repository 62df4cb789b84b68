// The in-tree plugins by name, as profiles refer to them.

import type { PluginFactory } from '../framework/interface.ts';
import { balancedAllocation } from './balanced-allocation/balanced-allocation.ts';
import { defaultBinder } from './default-binder/default-binder.ts';
import { defaultPreemption } from './default-preemption/default-preemption.ts';
import { imageLocality } from './image-locality/image-locality.ts';
import { interPodAffinity } from './inter-pod-affinity/inter-pod-affinity.ts';
import { nodeAffinity } from './node-affinity/node-affinity.ts';
import { nodeName } from './node-name/node-name.ts';
import { nodePorts } from './node-ports/node-ports.ts';
import { nodeResourcesFit } from './node-resources-fit/node-resources-fit.ts';
import { nodeUnschedulable } from './node-unschedulable/node-unschedulable.ts';
import { podTopologySpread } from './pod-topology-spread/pod-topology-spread.ts';
import { taintToleration } from './taint-toleration/taint-toleration.ts';
import { volumeBinding } from './volume-binding/volume-binding.ts';

export const inTreePlugins: ReadonlyMap<string, PluginFactory> = new Map<string, PluginFactory>([
  ['PrioritySort', () => ({ name: 'PrioritySort' })],
  ['NodeUnschedulable', () => nodeUnschedulable()],
  ['NodeName', () => nodeName()],
  ['NodePorts', () => nodePorts()],
  ['NodeResourcesFit', (args) => nodeResourcesFit(args)],
  ['NodeResourcesBalancedAllocation', (args) => balancedAllocation(args)],
  ['NodeAffinity', (args) => nodeAffinity(args)],
  ['TaintToleration', () => taintToleration()],
  ['PodTopologySpread', (args, handle) => podTopologySpread(args, handle)],
  ['InterPodAffinity', (args, handle) => interPodAffinity(args, handle)],
  ['VolumeBinding', (args, handle) => volumeBinding(args, handle)],
  ['ImageLocality', () => imageLocality()],
  ['DefaultPreemption', (args, handle) => defaultPreemption(args, handle)],
  ['DefaultBinder', (args, handle) => defaultBinder(args, handle)],
]);
