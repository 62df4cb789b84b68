// The node side of the local-path provisioner: local-path PVs of this node
// that are being deleted (Delete reclaim policy, or by hand) keep a finalizer
// until their directory under this node's storage path is removed here.

import { rm } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { annLocalPathNode, localPathCleanupFinalizer } from '../../api/persistent-volume.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { KubeObject } from '../../api/meta.ts';
import type { Client } from '../../client/interfaces.ts';
import type { Clock, Timer } from '../../machinery/clock.ts';
import { isConflict, isNotFound } from '../../machinery/status.ts';

const pvResource = resourceForKind('', 'PersistentVolume')!;
const podResource = resourceForKind('', 'Pod')!;

type Volume = KubeObject & { spec?: { hostPath?: { path?: string }; claimRef?: { namespace?: string; name?: string } } };

export type LocalReclaimerOptions = {
  client: Client;
  nodeName: string;
  /** D/agent/storage: the only place this removes anything from. */
  storagePath: string;
  clock: Clock;
  log(line: string): void;
  periodMs?: number;
};

export type LocalReclaimer = { stop(): void; /** One pass now (tests, and the first pass at start). */ reclaimOnce(): Promise<number> };

export function startLocalReclaimer(opts: LocalReclaimerOptions): LocalReclaimer {
  const root = resolve(opts.storagePath);
  let running = false;
  let stopped = false;

  async function reclaimOnce(): Promise<number> {
    if (running || stopped) return 0;
    running = true;
    let done = 0;
    try {
      const list = await opts.client.list<Volume>(pvResource, undefined);
      const mine = list.items.filter(
        (pv) => pv.metadata.deletionTimestamp && pv.metadata.finalizers?.includes(localPathCleanupFinalizer) && pv.metadata.annotations?.[annLocalPathNode] === opts.nodeName,
      );
      if (mine.length === 0) return 0;
      // A claim deleted under a running pod: keep its data until the pod is gone.
      const inUse = await claimsInUse();
      for (const pv of mine) {
        const ref = pv.spec?.claimRef;
        if (ref && inUse.has(`${ref.namespace}/${ref.name}`)) continue;
        if (await reclaim(pv)) done++;
      }
    } catch (e) {
      opts.log(`local-path reclaimer: listing volumes: ${(e as Error).message}`);
    } finally {
      running = false;
    }
    return done;
  }

  async function claimsInUse(): Promise<Set<string>> {
    const pods = await opts.client.list<KubeObject>(podResource, undefined, { fieldSelector: `spec.nodeName=${opts.nodeName}` });
    const out = new Set<string>();
    for (const pod of pods.items) {
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      for (const v of (pod.spec as { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] } | undefined)?.volumes ?? []) {
        if (v.persistentVolumeClaim?.claimName) out.add(`${pod.metadata.namespace}/${v.persistentVolumeClaim.claimName}`);
      }
    }
    return out;
  }

  async function reclaim(pv: Volume): Promise<boolean> {
    const path = pv.spec?.hostPath?.path;
    const target = path ? resolve(path) : undefined;
    if (target && target.startsWith(root + sep)) {
      try {
        await rm(target, { recursive: true, force: true });
      } catch (e) {
        opts.log(`local-path reclaimer: removing ${target} of ${pv.metadata.name}: ${(e as Error).message}; will retry`);
        return false;
      }
      opts.log(`local-path reclaimer: removed ${target} (volume ${pv.metadata.name})`);
    } else {
      // Never remove anything outside the storage directory, whatever a PV says.
      opts.log(`local-path reclaimer: ${pv.metadata.name}: path ${String(path)} is not under ${root}; data left in place`);
    }
    const next = structuredClone(pv);
    next.metadata.finalizers = pv.metadata.finalizers!.filter((f) => f !== localPathCleanupFinalizer);
    try {
      await opts.client.update(pvResource, undefined, next);
      return true;
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) opts.log(`local-path reclaimer: releasing ${pv.metadata.name}: ${(e as Error).message}`);
      return false;
    }
  }

  const timer: Timer = opts.clock.setInterval(() => void reclaimOnce(), opts.periodMs ?? 5000);
  void reclaimOnce();
  return {
    reclaimOnce,
    stop() {
      stopped = true;
      timer.cancel();
    },
  };
}
