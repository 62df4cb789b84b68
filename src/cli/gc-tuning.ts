// V8 scavenges (collects the young generation) with helper threads, in
// parallel with the main thread. On one or two cores the helpers do not run
// beside idle cores but take turns with our own busy threads (a server's event
// loop, its components and commit threads, a node's kubelets), and splitting
// the work costs more than it saves: under bench/sim on 2 cores, scavenging on
// the main thread alone took 4.5% less CPU in all (6 interleaved rounds). With
// more cores the parallel scavenger stays.

import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';

/** Turns parallel scavenging off on a machine with at most two cores; says whether it did. */
export function tuneGarbageCollector(cores = availableParallelism()): boolean {
  if (cores > 2) return false;
  setFlagsFromString('--no-parallel-scavenge');
  return true;
}
