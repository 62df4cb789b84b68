// Pod and container securityContext → CRI's Linux security context; the
// container's settings win over the pod's.

import type { LinuxContainerSecurityContext, NamespaceOptions } from '../runtime/runtime.ts';
import type { ContainerSpec, Pod } from '../types.ts';

export function namespaceOptions(pod: Pod): NamespaceOptions {
  return {
    network: pod.spec.hostNetwork ? 'NODE' : 'POD',
    pid: pod.spec.hostPID ? 'NODE' : 'CONTAINER',
    ipc: pod.spec.hostIPC ? 'NODE' : 'POD',
  };
}

/** CRI takes capability names without the `CAP_` prefix (containerd adds it). */
function capNames(list: string[] | undefined): string[] | undefined {
  return list?.map((c) => c.toUpperCase().replace(/^CAP_/, ''));
}

/** The user an image runs as when the pod names none: a uid, a user name, or neither (then root). */
export type ImageUser = { uid?: number; username?: string };

export function containerSecurityContext(pod: Pod, c: ContainerSpec, image: ImageUser = {}): { context: LinuxContainerSecurityContext } | { error: string } {
  const ps = pod.spec.securityContext ?? {};
  const cs = c.securityContext ?? {};
  const out: LinuxContainerSecurityContext = { namespaceOptions: namespaceOptions(pod) };
  const runAsUser = cs.runAsUser ?? ps.runAsUser;
  const runAsGroup = cs.runAsGroup ?? ps.runAsGroup;
  const who = `pod: "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})", container: ${c.name}`;
  if (cs.runAsNonRoot ?? ps.runAsNonRoot) {
    if (runAsUser === 0) return { error: `container's runAsUser breaks non-root policy (${who})` };
    // Without runAsUser the image's user decides: a uid other than 0 passes, a name cannot be checked, none is root.
    if (runAsUser === undefined && image.uid === undefined && image.username) {
      return { error: `container has runAsNonRoot and image has non-numeric user (${image.username}), cannot verify user is non-root (${who})` };
    }
    if (runAsUser === undefined && (image.uid ?? 0) === 0) return { error: `container has runAsNonRoot and image will run as root (${who})` };
  }
  if (runAsUser !== undefined) out.runAsUser = runAsUser;
  if (runAsGroup !== undefined) out.runAsGroup = runAsGroup;
  const groups = [...(ps.supplementalGroups ?? []), ...(ps.fsGroup !== undefined ? [ps.fsGroup] : [])];
  if (groups.length > 0) out.supplementalGroups = [...new Set(groups)];
  if (cs.privileged) out.privileged = true;
  if (cs.readOnlyRootFilesystem) out.readonlyRootfs = true;
  if (cs.allowPrivilegeEscalation === false) out.noNewPrivs = true;
  const add = capNames(cs.capabilities?.add);
  const drop = capNames(cs.capabilities?.drop);
  if (add || drop) out.capabilities = { ...(add ? { addCapabilities: add } : {}), ...(drop ? { dropCapabilities: drop } : {}) };
  return { context: out };
}
