// What every volume plugin gets and gives back.

import type { Client } from '../../../client/interfaces.ts';
import type { Clock } from '../../../machinery/clock.ts';
import type { Pod } from '../../types.ts';
import type { TokenIssuer } from '../service-account-token.ts';
import type { Volume } from '../volume-types.ts';

export type PluginContext = {
  client: Client;
  nodeName: string;
  clock: Clock;
  log(line: string): void;
  tokens: TokenIssuer;
  /** The node's allocatable resources (resourceFieldRef falls back to them when a limit is unset). */
  allocatable(): Promise<Record<string, string>>;
};

/** Where a volume lives on the host; `path` is absent when only checking (hollow nodes). */
export type SetUpVolume = { path?: string; readOnly: boolean };

export type VolumePlugin = {
  /** The folder under pods/<uid>/volumes/ (`kubernetes.io~configmap`); absent for volumes that live elsewhere (hostPath, PVs). */
  dirName?: string;
  /** Contents that follow API objects are rewritten by the refresh loop. */
  refreshable: boolean;
  /**
   * Checks the source exists and, when `dir` is given, makes the volume's contents there
   * (`dir` is '' for plugins without a dirName: set up on the host, nothing of the kubelet's own).
   * Idempotent. Throws VolumeProblem with Kubernetes' wording.
   */
  setUp(ctx: PluginContext, pod: Pod, volume: Volume, dir: string | undefined): Promise<SetUpVolume>;
};
