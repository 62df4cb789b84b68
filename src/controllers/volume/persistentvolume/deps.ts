// What the PV controller's syncs read and write through.

import type { Client, EventRecorder, Lister } from '../../../client/interfaces.ts';
import type { KubeObject } from '../../../api/meta.ts';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../../api/persistent-volume.ts';

export type VolumeSyncDeps = {
  client: Client;
  volumes: Lister<PersistentVolume>;
  claims: Lister<PersistentVolumeClaim>;
  classes: Lister<StorageClass>;
  nodes: Lister<KubeObject>;
  recorder: EventRecorder;
  log(line: string): void;
  /** Claim uid + reason already announced by an event. */
  announced: Set<string>;
  /** Ask for a claim's sync (a volume's change concerns it). */
  enqueueClaim(key: string): void;
};
