// The kubelet's volume manager: before a pod's containers start, every volume
// of the pod is checked and set up under <rootDir>/pods/<uid>/volumes/, and each
// container gets its CRI mounts. Volumes made from API objects (configMap,
// secret, downwardAPI, projected) are rewritten by a refresh loop when their
// source changes, so running containers see updates. Hollow nodes (no rootDir)
// only check that the referenced objects exist.

import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resourceFor } from '../../api/scheme.ts';
import type { Client } from '../../client/interfaces.ts';
import type { Clock, Timer } from '../../machinery/clock.ts';
import { getKey } from '../../machinery/own-keys.ts';
import type { Mount } from '../runtime/runtime.ts';
import type { Node, Pod } from '../types.ts';
import { containerMounts, type HostVolume } from './container-mounts.ts';
import { mountsUnder, unmount } from './mount-table.ts';
import { configMapPlugin } from './plugins/config-map.ts';
import { downwardApiPlugin } from './plugins/downward-api.ts';
import { emptyDirPlugin } from './plugins/empty-dir.ts';
import { hostPathPlugin } from './plugins/host-path.ts';
import { persistentVolumeClaimPlugin } from './plugins/persistent-volume-claim.ts';
import type { PluginContext, VolumePlugin } from './plugins/plugin.ts';
import { projectedPlugin } from './plugins/projected.ts';
import { secretPlugin } from './plugins/secret.ts';
import { createTokenIssuer } from './service-account-token.ts';
import type { Volume } from './volume-types.ts';
import { VolumeProblem, VolumeSetUpError } from './volume-set-up-error.ts';

export { VolumeSetUpError } from './volume-set-up-error.ts';

export type VolumeManager = {
  /** Idempotent, called on every pod sync before containers start; throws VolumeSetUpError (its message is the FailedMount text). Returns mounts by container name. */
  setUp(pod: Pod): Promise<Map<string, Mount[]>>;
  /** After the pod's containers are gone: unmount and remove pods/<uid>/volumes. */
  tearDown(pod: Pod): Promise<void>;
  stop(): void;
};

export type VolumeManagerOptions = {
  client: Client;
  nodeName: string;
  clock: Clock;
  log(line: string): void;
  /** The kubelet's root dir; absent on hollow nodes, which only check that referenced configMaps/secrets/PVCs exist. */
  rootDir?: string;
  /** How often API-object volumes are compared with their sources (default 10 s). */
  refreshPeriodMs?: number;
};

const plugins: Record<string, VolumePlugin> = {
  emptyDir: emptyDirPlugin,
  configMap: configMapPlugin,
  secret: secretPlugin,
  downwardAPI: downwardApiPlugin,
  projected: projectedPlugin,
  hostPath: hostPathPlugin,
  persistentVolumeClaim: persistentVolumeClaimPlugin,
};

const nodes = resourceFor('', 'v1', 'nodes')!;

export function createVolumeManager(opts: VolumeManagerOptions): VolumeManager {
  const ctx: PluginContext = {
    client: opts.client,
    nodeName: opts.nodeName,
    clock: opts.clock,
    log: opts.log,
    tokens: createTokenIssuer(opts.clock),
    async allocatable() {
      const node = await opts.client.get<Node>(nodes, undefined, opts.nodeName);
      return node.status?.allocatable ?? {};
    },
  };
  /** The latest view of each set-up pod, for the refresh loop. */
  const active = new Map<string, Pod>();
  /** Each set-up pod's volumes, by name: where they are on the host (nowhere on hollow nodes). */
  const mounted = new Map<string, Map<string, HostVolume | undefined>>();
  /** One operation per pod at a time: syncs, refreshes and tearDown must not interleave on its files. */
  const locks = new Map<string, Promise<unknown>>();
  const serially = <T>(uid: string, fn: () => Promise<T>): Promise<T> => {
    const prev = locks.get(uid) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    locks.set(uid, tail);
    void tail.then(() => {
      if (locks.get(uid) === tail) locks.delete(uid);
    });
    return next;
  };

  /** Last problem logged per pod volume, so a lasting one is logged once, not every sync and refresh. */
  const reported = new Map<string, string>();
  const report = (uid: string, volume: string, message: string): void => {
    const key = `${uid}/${volume}`;
    if (reported.get(key) === message) return;
    reported.set(key, message);
    opts.log(message);
  };

  const volumesDir = (uid: string): string | undefined => (opts.rootDir === undefined ? undefined : join(opts.rootDir, 'pods', uid, 'volumes'));

  const setUpVolume = async (pod: Pod, v: Volume, plugin: VolumePlugin): Promise<HostVolume | undefined> => {
    const base = volumesDir(pod.metadata.uid ?? '');
    const dir = base === undefined ? undefined : plugin.dirName ? join(base, plugin.dirName, v.name) : '';
    const r = await plugin.setUp(ctx, pod, v, dir);
    reported.delete(`${pod.metadata.uid ?? ''}/${v.name}`);
    return r.path === undefined ? undefined : { path: r.path, readOnly: r.readOnly };
  };

  const setUpAll = async (pod: Pod): Promise<Map<string, Mount[]>> => {
    const uid = pod.metadata.uid ?? '';
    const problems: string[] = [];
    const hostVolumes = new Map<string, HostVolume>();
    const done = new Map<string, HostVolume | undefined>();
    const previous = mounted.get(uid);
    for (const v of pod.spec.volumes ?? []) {
      try {
        const plugin = pluginFor(v);
        const hv = await setUpVolume(pod, v, plugin);
        done.set(v.name, hv);
        if (hv) hostVolumes.set(v.name, hv);
      } catch (e) {
        const message = `MountVolume.SetUp failed for volume "${v.name}" : ${(e as Error).message}`;
        // Like the kubelet, a volume that is already mounted stays usable with its last
        // contents (say its configMap was deleted): the pod's containers keep being managed.
        if (previous?.has(v.name)) {
          report(uid, v.name, `volumes: pod ${pod.metadata.namespace}/${pod.metadata.name}: ${message} (keeping the mounted contents)`);
          const last = previous.get(v.name);
          done.set(v.name, last);
          if (last) hostVolumes.set(v.name, last);
        } else problems.push(message);
      }
    }
    if (problems.length > 0) throw new VolumeSetUpError(problems);
    mounted.set(uid, done);
    const byContainer = new Map<string, Mount[]>();
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      if (opts.rootDir === undefined) {
        byContainer.set(c.name, []);
        continue;
      }
      try {
        byContainer.set(c.name, containerMounts(c, hostVolumes));
      } catch (e) {
        throw new VolumeSetUpError([`MountVolume.SetUp failed for container "${c.name}" : ${(e as Error).message}`]);
      }
    }
    return byContainer;
  };

  const refreshPod = async (uid: string): Promise<void> => {
    const pod = active.get(uid);
    if (!pod) return;
    for (const v of pod.spec.volumes ?? []) {
      const plugin = pluginNamed(sourceOf(v));
      if (!plugin?.refreshable) continue;
      try {
        await setUpVolume(pod, v, plugin);
      } catch (e) {
        // Kubernetes keeps the last good contents when a source disappears.
        report(uid, v.name, `volumes: pod ${pod.metadata.namespace}/${pod.metadata.name}: MountVolume.SetUp failed for volume "${v.name}" : ${(e as Error).message} (keeping the mounted contents)`);
      }
    }
  };

  let refreshing = false;
  let timer: Timer | undefined;
  if (opts.rootDir !== undefined) {
    timer = opts.clock.setInterval(() => {
      if (refreshing) return;
      refreshing = true;
      const uids = [...active.keys()];
      void Promise.all(uids.map((uid) => serially(uid, () => refreshPod(uid)))).finally(() => {
        refreshing = false;
      });
    }, opts.refreshPeriodMs ?? 10_000);
  }

  return {
    setUp(pod) {
      const uid = pod.metadata.uid ?? '';
      return serially(uid, async () => {
        const mounts = await setUpAll(pod);
        if (opts.rootDir !== undefined && !pod.metadata.deletionTimestamp) active.set(uid, pod);
        return mounts;
      });
    },
    tearDown(pod) {
      const uid = pod.metadata.uid ?? '';
      active.delete(uid);
      mounted.delete(uid);
      for (const k of reported.keys()) if (k.startsWith(`${uid}/`)) reported.delete(k);
      ctx.tokens.forget(uid);
      return serially(uid, async () => {
        const dir = volumesDir(uid);
        if (dir === undefined || !existsSync(dir)) return;
        await removeVolumesDir(dir);
        removeIfEmpty(join(dir, '..'));
      });
    },
    stop() {
      timer?.cancel();
      timer = undefined;
    },
  };
}

function sourceOf(v: Volume): string | undefined {
  return Object.keys(v).find((k) => k !== 'name' && v[k] !== undefined && v[k] !== null);
}

// Own keys only: a volume field named "constructor" must not find Object's.
function pluginNamed(source: string | undefined): VolumePlugin | undefined {
  return source === undefined ? undefined : getKey(plugins, source);
}

function pluginFor(v: Volume): VolumePlugin {
  const source = sourceOf(v) ?? 'emptyDir';
  const plugin = pluginNamed(source);
  if (!plugin) throw new VolumeProblem(`volume type ${source} is not supported by skiff (supported: ${Object.keys(plugins).join(', ')})`);
  return plugin;
}

/** Unmounts everything below `dir`, then deletes it; refuses to delete through a mount it could not undo. */
async function removeVolumesDir(dir: string): Promise<void> {
  for (const m of mountsUnder(dir)) {
    try {
      await unmount(m);
    } catch (e) {
      throw new Error(`volumes: cannot unmount ${m}: ${(e as Error).message}; leaving ${dir} in place, retry tearDown`);
    }
  }
  // rmSync removes symlinks themselves and never follows them out of the directory.
  rmSync(dir, { recursive: true, force: true });
}

function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // another part of the kubelet still owns files there
  }
}
