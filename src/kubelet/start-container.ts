// Starting one container of a pod: pull its image (per imagePullPolicy),
// build its CRI config, create it in the sandbox and start it, with the
// kubelet's events.

import type { Client } from '../client/interfaces.ts';
import type { Clock } from '../machinery/clock.ts';
import { buildContainerConfig, type ContainerConfigContext } from './container-config.ts';
import type { Image, ImageService, Mount, PodSandboxConfig, RuntimeService } from './runtime/runtime.ts';
import type { ContainerSpec, Pod } from './types.ts';

export type StartContainerDeps = {
  runtime: RuntimeService;
  images: ImageService;
  clock: Clock;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** For configMap/secret env; hollow nodes pass theirs too. */
  client?: Client;
  nodeName?: string;
  hostIP?: string;
  /** Kubelet root dir (termination-message files); absent on hollow nodes. */
  rootDir?: string;
  /** Node allocatable (downward API defaults, OOM score). */
  allocatable?: Record<string, string | number>;
};

export type StartResult =
  | { kind: 'started'; containerId: string }
  | { kind: 'pullFailed'; message: string }
  | { kind: 'configError'; reason: 'CreateContainerConfigError' | 'CreateContainerError'; message: string };

export async function startContainer(
  deps: StartContainerDeps,
  pod: Pod,
  sandbox: { id: string; ip?: string; config: PodSandboxConfig },
  c: ContainerSpec,
  attempt: number,
  init: boolean,
  extras: { mounts: Mount[] } = { mounts: [] },
): Promise<StartResult> {
  const pulled = await ensureImage(deps, c, sandbox.config);
  if ('kind' in pulled) return pulled;

  const ctx: ContainerConfigContext = {
    podIP: sandbox.ip ?? '',
    hostIP: deps.hostIP ?? pod.status?.hostIP ?? '',
    event: deps.event,
    ...(deps.client ? { client: deps.client } : {}),
    ...(deps.rootDir !== undefined ? { rootDir: deps.rootDir } : {}),
    ...(deps.allocatable ? { allocatable: deps.allocatable } : {}),
    imageUser: { ...(pulled.image?.uid !== undefined ? { uid: pulled.image.uid } : {}), ...(pulled.image?.username ? { username: pulled.image.username } : {}) },
  };
  const built = await buildContainerConfig(ctx, pod, c, { attempt, init, mounts: extras.mounts, sandboxConfig: sandbox.config });
  if (built.kind === 'configError') return built;

  let containerId: string;
  try {
    containerId = await deps.runtime.createContainer(sandbox.id, built.config, sandbox.config);
  } catch (e) {
    return { kind: 'configError', reason: 'CreateContainerError', message: (e as Error).message };
  }
  deps.event('Normal', 'Created', `Created container ${c.name}`);
  try {
    await deps.runtime.startContainer(containerId);
  } catch (e) {
    // The runtime records the failed start as an exit (StartError, 128): the
    // worker restarts it with back-off like any crash, so report, don't retry here.
    deps.event('Warning', 'Failed', `Error: ${(e as Error).message}`);
    return { kind: 'started', containerId };
  }
  deps.event('Normal', 'Started', `Started container ${c.name}`);
  return { kind: 'started', containerId };
}

/** Pulls per imagePullPolicy; a failure result, or the image's status once it is there. */
async function ensureImage(deps: StartContainerDeps, c: ContainerSpec, sandboxConfig: PodSandboxConfig): Promise<StartResult | { image: Image | undefined }> {
  const image = c.image ?? '';
  const present = await deps.images.imageStatus(image);
  if (present && c.imagePullPolicy !== 'Always') {
    deps.event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
    return { image: present };
  }
  if (c.imagePullPolicy === 'Never') {
    const message = `Container image "${image}" is not present with pull policy of Never`;
    deps.event('Warning', 'ErrImageNeverPull', message);
    return { kind: 'pullFailed', message };
  }
  deps.event('Normal', 'Pulling', `Pulling image "${image}"`);
  const started = deps.clock.now();
  try {
    await deps.images.pullImage(image, sandboxConfig);
  } catch (e) {
    const message = `Failed to pull image "${image}": ${(e as Error).message}`;
    deps.event('Warning', 'Failed', message);
    return { kind: 'pullFailed', message };
  }
  const secs = ((deps.clock.now() - started) / 1000).toFixed(3);
  const pulled = await deps.images.imageStatus(image);
  deps.event('Normal', 'Pulled', `Successfully pulled image "${image}" in ${secs}s (${secs}s including waiting). Image size: ${pulled?.size ?? 0} bytes.`);
  return { image: pulled };
}
