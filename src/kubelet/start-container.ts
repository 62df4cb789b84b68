// Starting one container of a pod: pull its image (per imagePullPolicy),
// create it in the sandbox and start it, with the kubelet's events.

import type { Clock } from '../machinery/clock.ts';
import { runtimeLabels, type ImageService, type PodSandboxConfig, type RuntimeService } from './runtime/runtime.ts';
import type { ContainerSpec, Pod } from './types.ts';

export type StartContainerDeps = {
  runtime: RuntimeService;
  images: ImageService;
  clock: Clock;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
};

export type StartResult = { kind: 'started'; containerId: string } | { kind: 'pullFailed'; message: string };

export async function startContainer(
  deps: StartContainerDeps,
  pod: Pod,
  sandbox: { id: string; config: PodSandboxConfig },
  c: ContainerSpec,
  attempt: number,
  init: boolean,
): Promise<StartResult> {
  const image = c.image ?? '';
  const present = await deps.images.imageStatus(image);
  if (present && c.imagePullPolicy !== 'Always') deps.event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
  else if (c.imagePullPolicy === 'Never') {
    const message = `Container image "${image}" is not present with pull policy of Never`;
    deps.event('Warning', 'ErrImageNeverPull', message);
    return { kind: 'pullFailed', message };
  } else {
    deps.event('Normal', 'Pulling', `Pulling image "${image}"`);
    const started = deps.clock.now();
    try {
      await deps.images.pullImage(image, sandbox.config);
    } catch (e) {
      const message = `Failed to pull image "${image}": ${(e as Error).message}`;
      deps.event('Warning', 'Failed', message);
      return { kind: 'pullFailed', message };
    }
    const secs = ((deps.clock.now() - started) / 1000).toFixed(3);
    const size = (await deps.images.imageStatus(image))?.size ?? 0;
    deps.event('Normal', 'Pulled', `Successfully pulled image "${image}" in ${secs}s (${secs}s including waiting). Image size: ${size} bytes.`);
  }
  const m = pod.metadata;
  const containerId = await deps.runtime.createContainer(
    sandbox.id,
    {
      metadata: { name: c.name, attempt },
      image: { image },
      command: c.command ?? [],
      args: c.args ?? [],
      envs: (c.env ?? []).map((e) => ({ key: e.name, value: e.value ?? '' })),
      labels: {
        [runtimeLabels.podUid]: m.uid ?? '',
        [runtimeLabels.podName]: m.name ?? '',
        [runtimeLabels.podNamespace]: m.namespace ?? '',
        [runtimeLabels.containerName]: c.name,
        [runtimeLabels.containerType]: init ? 'init' : 'regular',
      },
      annotations: {},
      ...(c.workingDir ? { workingDir: c.workingDir } : {}),
      ...(c.tty ? { tty: true } : {}),
      ...(c.stdin ? { stdin: true } : {}),
    },
    sandbox.config,
  );
  deps.event('Normal', 'Created', `Created container ${c.name}`);
  await deps.runtime.startContainer(containerId);
  deps.event('Normal', 'Started', `Started container ${c.name}`);
  return { kind: 'started', containerId };
}
