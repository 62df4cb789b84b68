// core/v1 containers: Container and EphemeralContainer with their ports,
// environment, probes, lifecycle hooks, resources, security context and
// runtime status. Field numbers from k8s.io/api core/v1 generated.proto.

import { array, boolean, core, field, int32, int64, intOrString, keyedList, map, quantity, ref, string, time, type } from './build.ts';
import { inlinedTag } from './core-inline.ts';
import { registerTypes } from './index.ts';
import type { FieldDef, TypeDef } from './types.ts';

const quantities = map(quantity);
const pullPolicies = ['Always', 'Never', 'IfNotPresent'] as const;

/**
 * Container and EphemeralContainer share every field; the ephemeral one
 * embeds them in a nested message (number 1), hence the tag mapper.
 */
function containerFields(tag: (n: number) => number): FieldDef[] {
  return [
    field('name', tag(1), string, 'Name of the container, a DNS label unique within the pod.', { required: true }),
    field('image', tag(2), string, 'Container image reference.'),
    field('command', tag(3), array(string), 'Entrypoint to run instead of the image ENTRYPOINT; not run in a shell.', { listType: 'atomic' }),
    field('args', tag(4), array(string), 'Arguments to the entrypoint instead of the image CMD.', { listType: 'atomic' }),
    field('workingDir', tag(5), string, 'Working directory of the container process.'),
    field('ports', tag(6), array(ref(core('ContainerPort'))), 'Ports the container exposes; informational, plus named-port lookup.', {
      patchStrategy: 'merge', patchMergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'],
    }),
    field('envFrom', tag(19), array(ref(core('EnvFromSource'))), 'ConfigMaps and Secrets whose keys become environment variables.', { listType: 'atomic' }),
    keyedList('env', tag(7), core('EnvVar'), 'name', 'Environment variables to set in the container.'),
    field('resources', tag(8), ref(core('ResourceRequirements')), 'Compute resources the container requests and is limited to.'),
    field('resizePolicy', tag(23), array(ref(core('ContainerResizePolicy'))), 'How the container reacts to an in-place resource resize.', { listType: 'atomic' }),
    field('restartPolicy', tag(24), string, 'Per-container restart policy; Always on an init container makes it a sidecar.'),
    keyedList('volumeMounts', tag(9), core('VolumeMount'), 'mountPath', 'Pod volumes to mount into the container filesystem.'),
    keyedList('volumeDevices', tag(21), core('VolumeDevice'), 'devicePath', 'Raw block devices to expose to the container.'),
    field('livenessProbe', tag(10), ref(core('Probe')), 'Periodic check; the container is restarted when it fails.'),
    field('readinessProbe', tag(11), ref(core('Probe')), 'Periodic check; the pod leaves service endpoints when it fails.'),
    field('startupProbe', tag(22), ref(core('Probe')), 'Check that must pass before the other probes start.'),
    field('lifecycle', tag(12), ref(core('Lifecycle')), 'Hooks run after start and before stop.'),
    field('terminationMessagePath', tag(13), string, 'File whose contents become the termination message.'),
    field('terminationMessagePolicy', tag(20), string, 'Where the termination message comes from: File or FallbackToLogsOnError.', { enum: ['File', 'FallbackToLogsOnError'] }),
    field('imagePullPolicy', tag(14), string, 'When to pull the image: Always, Never or IfNotPresent.', { enum: pullPolicies }),
    field('securityContext', tag(15), ref(core('SecurityContext')), 'Security options for this container, overriding the pod-level ones.'),
    field('stdin', tag(16), boolean, 'Allocate a stdin buffer for the container.'),
    field('stdinOnce', tag(17), boolean, 'Close stdin after the first attach session ends.'),
    field('tty', tag(18), boolean, 'Allocate a TTY; needs stdin.'),
  ];
}

const container = type(core('Container'), 'A single application container run inside a pod.', containerFields((n) => n));

const ephemeralContainer = type(core('EphemeralContainer'), 'A temporary container added to a running pod, e.g. for debugging.', [
  ...containerFields((n) => inlinedTag(1, n)),
  field('targetContainerName', 2, string, 'Container whose namespaces (PID, IPC, ...) this one joins.'),
]);

const containerPort = type(core('ContainerPort'), 'A network port of a container.', [
  field('name', 1, string, 'IANA service name for the port, unique in the pod.'),
  field('hostPort', 2, int32, 'Port to expose on the host.'),
  field('containerPort', 3, int32, 'Port number on the pod IP.', { required: true }),
  field('protocol', 4, string, 'TCP, UDP or SCTP; defaults to TCP.', { enum: ['TCP', 'UDP', 'SCTP'] }),
  field('hostIP', 5, string, 'Host address to bind the host port to.'),
]);

const envVar = type(core('EnvVar'), 'One environment variable of a container.', [
  field('name', 1, string, 'Name of the variable.', { required: true }),
  field('value', 2, string, 'Literal value; $(VAR) references are expanded.'),
  field('valueFrom', 3, ref(core('EnvVarSource')), 'Where to read the value from instead of value.'),
]);

const envVarSource = type(core('EnvVarSource'), 'A source for an environment variable value.', [
  field('fieldRef', 1, ref(core('ObjectFieldSelector')), 'A field of the pod, such as metadata.name or status.podIP.'),
  field('resourceFieldRef', 2, ref(core('ResourceFieldSelector')), 'A resource request or limit of the container.'),
  field('configMapKeyRef', 3, ref(core('ConfigMapKeySelector')), 'A key of a ConfigMap.'),
  field('secretKeyRef', 4, ref(core('SecretKeySelector')), 'A key of a Secret in the pod namespace.'),
]);

const envFromSource = type(core('EnvFromSource'), 'A ConfigMap or Secret whose keys all become environment variables.', [
  field('prefix', 1, string, 'Text prepended to every variable name.'),
  field('configMapRef', 2, ref(core('ConfigMapEnvSource')), 'The ConfigMap to read.'),
  field('secretRef', 3, ref(core('SecretEnvSource')), 'The Secret to read.'),
]);

const resourceRequirements = type(core('ResourceRequirements'), 'Compute resource requests and limits.', [
  field('limits', 1, quantities, 'Maximum amount of each resource allowed.'),
  field('requests', 2, quantities, 'Minimum amount of each resource required; used for scheduling.'),
  field('claims', 3, array(ref(core('ResourceClaim'))), 'Names of pod resource claims this container uses.', { listType: 'map', listMapKeys: ['name'] }),
]);

const resourceClaim = type(core('ResourceClaim'), 'Use of one entry of spec.resourceClaims by a container.', [
  field('name', 1, string, 'Name of the pod resource claim.', { required: true }),
  field('request', 2, string, 'Request within the claim to use; empty means all of it.'),
]);

const containerResizePolicy = type(core('ContainerResizePolicy'), 'How a container handles a resize of one resource.', [
  field('resourceName', 1, string, 'Resource the policy applies to: cpu or memory.', { required: true }),
  field('restartPolicy', 2, string, 'NotRequired or RestartContainer.', { required: true }),
]);

const volumeMount = type(core('VolumeMount'), 'Mounting of a pod volume inside a container.', [
  field('name', 1, string, 'Name of the pod volume to mount.', { required: true }),
  field('readOnly', 2, boolean, 'Mount read-only.'),
  field('recursiveReadOnly', 7, string, 'Whether read-only applies to submounts: Disabled, IfPossible or Enabled.'),
  field('mountPath', 3, string, 'Path in the container where the volume appears.', { required: true }),
  field('subPath', 4, string, 'Path inside the volume to mount instead of its root.'),
  field('mountPropagation', 5, string, 'How mounts propagate between host and container.'),
  field('subPathExpr', 6, string, 'Like subPath but with $(VAR) expansion.'),
]);

const volumeDevice = type(core('VolumeDevice'), 'A raw block device mapped into a container.', [
  field('name', 1, string, 'Name of the PVC volume in the pod.', { required: true }),
  field('devicePath', 2, string, 'Path of the device inside the container.', { required: true }),
]);

// Probe embeds ProbeHandler as message 1.
const probe = type(core('Probe'), 'A health check run against a container.', [
  field('exec', inlinedTag(1, 1), ref(core('ExecAction')), 'Run a command in the container.'),
  field('httpGet', inlinedTag(1, 2), ref(core('HTTPGetAction')), 'Send an HTTP GET request.'),
  field('tcpSocket', inlinedTag(1, 3), ref(core('TCPSocketAction')), 'Open a TCP connection.'),
  field('grpc', inlinedTag(1, 4), ref(core('GRPCAction')), 'Call the gRPC health service.'),
  field('initialDelaySeconds', 2, int32, 'Seconds after start before the first probe.'),
  field('timeoutSeconds', 3, int32, 'Seconds before a probe attempt times out.'),
  field('periodSeconds', 4, int32, 'Seconds between probes.'),
  field('successThreshold', 5, int32, 'Consecutive successes needed after a failure.'),
  field('failureThreshold', 6, int32, 'Consecutive failures before the probe counts as failed.'),
  field('terminationGracePeriodSeconds', 7, int64, 'Grace period used when a failing probe kills the container.'),
]);

const execAction = type(core('ExecAction'), 'A command run inside the container.', [
  field('command', 1, array(string), 'Command line to execute; not run in a shell.', { listType: 'atomic' }),
]);

const httpGetAction = type(core('HTTPGetAction'), 'An HTTP GET request used as a probe or hook.', [
  field('path', 1, string, 'Path to request.'),
  field('port', 2, intOrString, 'Port number or name to connect to.', { required: true }),
  field('host', 3, string, 'Host to connect to; defaults to the pod IP.'),
  field('scheme', 4, string, 'HTTP or HTTPS.', { enum: ['HTTP', 'HTTPS'] }),
  field('httpHeaders', 5, array(ref(core('HTTPHeader'))), 'Extra request headers.', { listType: 'atomic' }),
]);

const httpHeader = type(core('HTTPHeader'), 'A custom HTTP header.', [
  field('name', 1, string, 'Header name.', { required: true }),
  field('value', 2, string, 'Header value.', { required: true }),
]);

const tcpSocketAction = type(core('TCPSocketAction'), 'A TCP connection attempt.', [
  field('port', 1, intOrString, 'Port number or name to connect to.', { required: true }),
  field('host', 2, string, 'Host to connect to; defaults to the pod IP.'),
]);

const grpcAction = type(core('GRPCAction'), 'A gRPC health check call.', [
  field('port', 1, int32, 'Port of the gRPC service.', { required: true }),
  field('service', 2, string, 'Service name placed in the health check request.'),
]);

const lifecycle = type(core('Lifecycle'), 'Actions run on container lifecycle events.', [
  field('postStart', 1, ref(core('LifecycleHandler')), 'Run right after the container is created.'),
  field('preStop', 2, ref(core('LifecycleHandler')), 'Run before the container is stopped.'),
]);

const lifecycleHandler = type(core('LifecycleHandler'), 'One lifecycle hook action.', [
  field('exec', 1, ref(core('ExecAction')), 'Run a command in the container.'),
  field('httpGet', 2, ref(core('HTTPGetAction')), 'Send an HTTP GET request.'),
  field('tcpSocket', 3, ref(core('TCPSocketAction')), 'Deprecated and not run; kept for compatibility.'),
  field('sleep', 4, ref(core('SleepAction')), 'Sleep for a while.'),
]);

const sleepAction = type(core('SleepAction'), 'A pause of some seconds.', [
  field('seconds', 1, int64, 'Seconds to sleep.', { required: true }),
]);

const securityContext = type(core('SecurityContext'), 'Security settings of one container.', [
  field('capabilities', 1, ref(core('Capabilities')), 'POSIX capabilities to add or drop.'),
  field('privileged', 2, boolean, 'Run as privileged, close to root on the host.'),
  field('seLinuxOptions', 3, ref(core('SELinuxOptions')), 'SELinux labels for the container.'),
  field('windowsOptions', 10, ref(core('WindowsSecurityContextOptions')), 'Windows-specific settings.'),
  field('runAsUser', 4, int64, 'UID of the container process.'),
  field('runAsGroup', 8, int64, 'GID of the container process.'),
  field('runAsNonRoot', 5, boolean, 'Refuse to start if the process would run as UID 0.'),
  field('readOnlyRootFilesystem', 6, boolean, 'Mount the root filesystem read-only.'),
  field('allowPrivilegeEscalation', 7, boolean, 'Whether a process may gain more privileges than its parent.'),
  field('procMount', 9, string, 'Kind of /proc mount: Default or Unmasked.'),
  field('seccompProfile', 11, ref(core('SeccompProfile')), 'Seccomp profile of the container.'),
  field('appArmorProfile', 12, ref(core('AppArmorProfile')), 'AppArmor profile of the container.'),
]);

const capabilities = type(core('Capabilities'), 'POSIX capabilities to add to or drop from a container.', [
  field('add', 1, array(string), 'Capabilities to add.', { listType: 'atomic' }),
  field('drop', 2, array(string), 'Capabilities to drop.', { listType: 'atomic' }),
]);

const seLinuxOptions = type(core('SELinuxOptions'), 'SELinux labels applied to a container.', [
  field('user', 1, string, 'SELinux user label.'),
  field('role', 2, string, 'SELinux role label.'),
  field('type', 3, string, 'SELinux type label.'),
  field('level', 4, string, 'SELinux level label.'),
]);

const windowsOptions = type(core('WindowsSecurityContextOptions'), 'Windows-specific security settings.', [
  field('gmsaCredentialSpecName', 1, string, 'Name of the GMSA credential spec to use.'),
  field('gmsaCredentialSpec', 2, string, 'Inlined contents of the GMSA credential spec.'),
  field('runAsUserName', 3, string, 'Windows user name to run the entrypoint as.'),
  field('hostProcess', 4, boolean, 'Run as a Windows host process container.'),
]);

const seccompProfile = type(core('SeccompProfile'), 'A seccomp profile choice.', [
  field('type', 1, string, 'Localhost, RuntimeDefault or Unconfined.', { required: true, enum: ['Localhost', 'RuntimeDefault', 'Unconfined'] }),
  field('localhostProfile', 2, string, 'Path of a profile on the node, for type Localhost.'),
]);

const appArmorProfile = type(core('AppArmorProfile'), 'An AppArmor profile choice.', [
  field('type', 1, string, 'Localhost, RuntimeDefault or Unconfined.', { required: true, enum: ['Localhost', 'RuntimeDefault', 'Unconfined'] }),
  field('localhostProfile', 2, string, 'Name of a profile loaded on the node, for type Localhost.'),
]);

const containerStatus = type(core('ContainerStatus'), 'Observed state of one container of a pod.', [
  field('name', 1, string, 'Name of the container.', { required: true }),
  field('state', 2, ref(core('ContainerState')), 'Current state of the container.'),
  field('lastState', 3, ref(core('ContainerState')), 'State of the previous run, for crash debugging.'),
  field('ready', 4, boolean, 'Whether the container passes its readiness check.', { required: true }),
  field('restartCount', 5, int32, 'Times the container has been restarted.', { required: true }),
  field('image', 6, string, 'Image the container runs.', { required: true }),
  field('imageID', 7, string, 'Resolved ID of the image.', { required: true }),
  field('containerID', 8, string, 'Runtime ID of the container as <type>://<id>.'),
  field('started', 9, boolean, 'Whether the container has started and passed its startup probe.'),
  field('allocatedResources', 10, quantities, 'Resources the node allocated to the container.'),
  field('resources', 11, ref(core('ResourceRequirements')), 'Requests and limits actually applied to the running container.'),
  keyedList('volumeMounts', 12, core('VolumeMountStatus'), 'mountPath', 'Status of the volume mounts.'),
  field('user', 13, ref(core('ContainerUser')), 'Identity the first process runs as.'),
  keyedList('allocatedResourcesStatus', 14, core('ResourceStatus'), 'name', 'Health of resources allocated to the container.'),
]);

const containerState = type(core('ContainerState'), 'State of a container; at most one member is set.', [
  field('waiting', 1, ref(core('ContainerStateWaiting')), 'The container is not running yet.'),
  field('running', 2, ref(core('ContainerStateRunning')), 'The container is running.'),
  field('terminated', 3, ref(core('ContainerStateTerminated')), 'The container has exited.'),
]);

const stateWaiting = type(core('ContainerStateWaiting'), 'A container that is waiting to run.', [
  field('reason', 1, string, 'Short reason it is not running yet.'),
  field('message', 2, string, 'Details on why it is not running yet.'),
]);

const stateRunning = type(core('ContainerStateRunning'), 'A running container.', [
  field('startedAt', 1, time, 'When the container last started.'),
]);

const stateTerminated = type(core('ContainerStateTerminated'), 'A container that has exited.', [
  field('exitCode', 1, int32, 'Exit status of the last run.', { required: true }),
  field('signal', 2, int32, 'Signal that ended the last run.'),
  field('reason', 3, string, 'Short reason for the termination.'),
  field('message', 4, string, 'Details about the termination.'),
  field('startedAt', 5, time, 'When the last run started.'),
  field('finishedAt', 6, time, 'When the last run ended.'),
  field('containerID', 7, string, 'Runtime ID of the exited container.'),
]);

const volumeMountStatus = type(core('VolumeMountStatus'), 'Status of one volume mount.', [
  field('name', 1, string, 'Name of the VolumeMount.', { required: true }),
  field('mountPath', 2, string, 'Mount path of the VolumeMount.', { required: true }),
  field('readOnly', 3, boolean, 'Whether the mount is read-only.'),
  field('recursiveReadOnly', 4, string, 'Effective recursive read-only mode: Disabled or Enabled.'),
]);

const containerUser = type(core('ContainerUser'), 'Identity a container process runs as.', [
  field('linux', 1, ref(core('LinuxContainerUser')), 'Linux user and groups.'),
]);

const linuxContainerUser = type(core('LinuxContainerUser'), 'Linux identity of a container process.', [
  field('uid', 1, int64, 'Primary UID.', { required: true }),
  field('gid', 2, int64, 'Primary GID.', { required: true }),
  field('supplementalGroups', 3, array(int64), 'Supplemental group IDs.', { listType: 'atomic' }),
]);

const resourceStatus = type(core('ResourceStatus'), 'Health of one resource allocated to a container.', [
  field('name', 1, string, 'Resource name, or claim:<claim>/<request> for dynamic resources.', { required: true }),
  field('resources', 2, array(ref(core('ResourceHealth'))), 'Health of each device behind the resource.', { listType: 'map', listMapKeys: ['resourceID'] }),
]);

const resourceHealth = type(core('ResourceHealth'), 'Health of one device.', [
  field('resourceID', 1, string, 'Identifier of the device.', { required: true }),
  field('health', 2, string, 'Healthy, Unhealthy or Unknown.'),
]);

export const coreContainerTypes: readonly TypeDef[] = [
  container, ephemeralContainer, containerPort, envVar, envVarSource, envFromSource, resourceRequirements,
  resourceClaim, containerResizePolicy, volumeMount, volumeDevice, probe, execAction, httpGetAction, httpHeader,
  tcpSocketAction, grpcAction, lifecycle, lifecycleHandler, sleepAction, securityContext, capabilities,
  seLinuxOptions, windowsOptions, seccompProfile, appArmorProfile, containerStatus, containerState, stateWaiting,
  stateRunning, stateTerminated, volumeMountStatus, containerUser, linuxContainerUser, resourceStatus, resourceHealth,
];

registerTypes(coreContainerTypes);
