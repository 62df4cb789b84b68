// Node selection by labels: nodeSelector and required node-affinity terms, shared by
// NodeAffinity and PodTopologySpread (nodeAffinityPolicy: Honor).

import { podFitsNodeSelector, termMatches } from '../../api/node-selector.ts';
import type { Node, NodeSelectorTerm, Pod } from '../types.ts';

/** A term matches when all its expressions and fields do; an empty term matches nothing. */
export function termMatchesNode(term: NodeSelectorTerm, node: Node): boolean {
  return termMatches(term, node.metadata);
}

/** nodeSelector and required node affinity together, as the NodeAffinity filter checks them. */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  return podFitsNodeSelector(pod.spec, node.metadata);
}
