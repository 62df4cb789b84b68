// One container of a pod → the CRI ContainerConfig the runtime creates:
// resolved environment, expanded command and args, cgroup resources, security
// context, termination-message mount, log path, and the labels and
// annotations the kubelet finds its containers by.

import type { Client } from '../client/interfaces.ts';
import { parseQuantity } from '../machinery/quantity.ts';
import { containerHash, containerHashAnnotation } from './container-hash.ts';
import { linuxResources } from './container-config/resources.ts';
import { containerSecurityContext, type ImageUser } from './container-config/security.ts';
import { defaultTerminationMessagePath, prepareTerminationMessage, terminationAnnotations } from './container-config/termination-message.ts';
import { resolveContainerEnv } from './env/container-env.ts';
import { expandAll } from './env/expand.ts';
import { runtimeLabels, type ContainerConfig, type Mount, type PodSandboxConfig } from './runtime/runtime.ts';
import type { ContainerSpec, Pod } from './types.ts';

export type ContainerConfigContext = {
  /** For configMap/secret env; absent → such references are config errors. */
  client?: Client;
  podIP: string;
  hostIP: string;
  /** Kubelet root: where termination-message files live. Absent on hollow nodes (no files). */
  rootDir?: string;
  /** Node allocatable: the downward API's value for unset limits; memory places Burstable pods on the OOM scale. */
  allocatable?: Record<string, string | number>;
  /** The user the container's image runs as (for runAsNonRoot without runAsUser); unknown → root. */
  imageUser?: ImageUser;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
};

export type ContainerConfigOptions = { attempt: number; init: boolean; mounts: Mount[]; sandboxConfig?: PodSandboxConfig };

export type ContainerConfigResult = { kind: 'ok'; config: ContainerConfig } | { kind: 'configError'; reason: 'CreateContainerConfigError'; message: string };

export const restartCountAnnotation = 'io.kubernetes.container.restartCount';

export async function buildContainerConfig(ctx: ContainerConfigContext, pod: Pod, c: ContainerSpec, opts: ContainerConfigOptions): Promise<ContainerConfigResult> {
  const fail = (message: string): ContainerConfigResult => ({ kind: 'configError', reason: 'CreateContainerConfigError', message });
  const env = await resolveContainerEnv(ctx, pod, c);
  if (env.kind === 'error') return fail(env.message);
  const security = containerSecurityContext(pod, c, ctx.imageUser);
  if ('error' in security) return fail(security.error);
  let memoryCapacity: number | undefined;
  try {
    const mem = ctx.allocatable?.['memory'];
    memoryCapacity = mem === undefined ? undefined : parseQuantity(mem).value();
  } catch {
    memoryCapacity = undefined;
  }
  let resources;
  try {
    resources = linuxResources(pod, c, memoryCapacity);
  } catch (e) {
    return fail(`invalid resources for container ${c.name}: ${(e as Error).message}`);
  }

  const mounts = [...opts.mounts];
  const m = pod.metadata;
  const annotations: Record<string, string> = {
    [containerHashAnnotation]: containerHash(c),
    [restartCountAnnotation]: String(opts.attempt),
    [terminationAnnotations.path]: c.terminationMessagePath ?? defaultTerminationMessagePath,
    [terminationAnnotations.policy]: c.terminationMessagePolicy ?? 'File',
    'io.kubernetes.pod.terminationGracePeriod': String(pod.spec.terminationGracePeriodSeconds ?? 30),
  };
  if (c.ports?.length) annotations['io.kubernetes.container.ports'] = JSON.stringify(c.ports);
  // A volume already mounted at the path wins over the termination file.
  const termPath = c.terminationMessagePath ?? defaultTerminationMessagePath;
  if (ctx.rootDir && termPath && !mounts.some((x) => x.containerPath === termPath)) {
    try {
      const term = prepareTerminationMessage(ctx.rootDir, pod, c);
      if (term) {
        mounts.push(term.mount);
        annotations[terminationAnnotations.hostPath] = term.hostPath;
      }
    } catch (e) {
      return fail(`failed to create the termination message file for container ${c.name}: ${(e as Error).message}`);
    }
  }

  const config: ContainerConfig = {
    metadata: { name: c.name, attempt: opts.attempt },
    image: { image: c.image ?? '' },
    command: expandAll(c.command, env.vars),
    args: expandAll(c.args, env.vars),
    envs: env.envs,
    labels: {
      [runtimeLabels.podUid]: m.uid ?? '',
      [runtimeLabels.podName]: m.name ?? '',
      [runtimeLabels.podNamespace]: m.namespace ?? '',
      [runtimeLabels.containerName]: c.name,
      [runtimeLabels.containerType]: opts.init ? 'init' : 'regular',
    },
    annotations,
    linux: { resources, securityContext: security.context },
  };
  if (c.workingDir) config.workingDir = c.workingDir;
  if (c.tty) config.tty = true;
  if (c.stdin) config.stdin = true;
  if (c.stdinOnce) config.stdinOnce = true;
  if (mounts.length > 0) config.mounts = mounts;
  // The runtime joins this to the sandbox's log directory; without one there is no log file.
  if (opts.sandboxConfig?.logDirectory) config.logPath = `${c.name}/${opts.attempt}.log`;
  return { kind: 'ok', config };
}
