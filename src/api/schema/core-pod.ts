// core/v1 Pod: PodSpec with scheduling (affinity, tolerations, spread),
// pod-level security and DNS, PodStatus, and the pod templates used by
// every workload controller. Field numbers from core/v1 generated.proto.

import { array, boolean, core, field, gvk, int32, int64, keyedList, map, meta, quantity, ref, string, time, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { TypeDef } from './types.ts';

const objectMeta = ref(meta('ObjectMeta'));

const pod = type(core('Pod'), 'A group of containers scheduled together onto one node.', [
  field('apiVersion', 0, string, 'API version of this object.'),
  field('kind', 0, string, 'Kind of this object.'),
  field('metadata', 1, objectMeta, 'Standard object metadata.'),
  field('spec', 2, ref(core('PodSpec')), 'Desired behaviour of the pod.'),
  field('status', 3, ref(core('PodStatus')), 'Most recently observed state of the pod; read-only.'),
], { gvk: gvk('', 'v1', 'Pod') });

const podSpec = type(core('PodSpec'), 'Description of a pod: its containers, volumes and scheduling needs.', [
  field('volumes', 1, array(ref(core('Volume'))), 'Volumes the containers of the pod can mount.', {
    patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'],
  }),
  keyedList('initContainers', 20, core('Container'), 'name', 'Containers run in order to completion before the main containers start.'),
  keyedList('containers', 2, core('Container'), 'name', 'The containers of the pod; at least one.', { required: true }),
  keyedList('ephemeralContainers', 34, core('EphemeralContainer'), 'name', 'Debugging containers added to the running pod.'),
  field('restartPolicy', 3, string, 'When containers are restarted: Always, OnFailure or Never.', { enum: ['Always', 'OnFailure', 'Never'] }),
  field('terminationGracePeriodSeconds', 4, int64, 'Seconds between the stop signal and the kill at deletion.'),
  field('activeDeadlineSeconds', 5, int64, 'Seconds the pod may be active before it is failed.'),
  field('dnsPolicy', 6, string, 'DNS setup: ClusterFirst, ClusterFirstWithHostNet, Default or None.', { enum: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] }),
  field('nodeSelector', 7, map(string), 'Node labels that must match for the pod to be placed there.', { mapType: 'atomic' }),
  field('serviceAccountName', 8, string, 'Service account the pod runs as.'),
  field('serviceAccount', 9, string, 'Deprecated alias of serviceAccountName.'),
  field('automountServiceAccountToken', 21, boolean, 'Whether the service account token is mounted.'),
  field('nodeName', 10, string, 'Node the pod is bound to; set by the scheduler.'),
  field('hostNetwork', 11, boolean, 'Use the host network namespace.'),
  field('hostPID', 12, boolean, 'Use the host PID namespace.'),
  field('hostIPC', 13, boolean, 'Use the host IPC namespace.'),
  field('shareProcessNamespace', 27, boolean, 'Share one PID namespace between the containers of the pod.'),
  field('securityContext', 14, ref(core('PodSecurityContext')), 'Pod-level security settings and container defaults.'),
  keyedList('imagePullSecrets', 15, core('LocalObjectReference'), 'name', 'Secrets used to pull the images.'),
  field('hostname', 16, string, 'Hostname of the pod; defaults to the pod name.'),
  field('subdomain', 17, string, 'Subdomain giving the pod a FQDN under a headless service.'),
  field('affinity', 18, ref(core('Affinity')), 'Node and pod affinity rules.'),
  field('schedulerName', 19, string, 'Scheduler that places the pod.'),
  field('tolerations', 22, array(ref(core('Toleration'))), 'Taints the pod tolerates.', { listType: 'atomic' }),
  keyedList('hostAliases', 23, core('HostAlias'), 'ip', 'Extra entries for the pod hosts file.'),
  field('priorityClassName', 24, string, 'PriorityClass giving the pod its priority.'),
  field('priority', 25, int32, 'Priority value, resolved from priorityClassName.'),
  field('dnsConfig', 26, ref(core('PodDNSConfig')), 'DNS settings merged with those from dnsPolicy.'),
  field('readinessGates', 28, array(ref(core('PodReadinessGate'))), 'Extra conditions that must be true for the pod to be ready.', { listType: 'atomic' }),
  field('runtimeClassName', 29, string, 'RuntimeClass to run the pod with.'),
  field('enableServiceLinks', 30, boolean, 'Inject service environment variables, docker-links style.'),
  field('preemptionPolicy', 31, string, 'Whether the pod may preempt lower priority pods: PreemptLowerPriority or Never.', { enum: ['PreemptLowerPriority', 'Never'] }),
  field('overhead', 32, map(quantity), 'Resource overhead of the pod sandbox, set from the RuntimeClass.'),
  field('topologySpreadConstraints', 33, array(ref(core('TopologySpreadConstraint'))), 'How the pod spreads across topology domains.', {
    patchStrategy: 'merge', patchMergeKey: 'topologyKey', listType: 'map', listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
  }),
  field('setHostnameAsFQDN', 35, boolean, 'Use the FQDN as the hostname.'),
  field('os', 36, ref(core('PodOS')), 'Operating system the containers need.'),
  field('hostUsers', 37, boolean, 'Use the host user namespace; false gives the pod its own.'),
  keyedList('schedulingGates', 38, core('PodSchedulingGate'), 'name', 'Gates that block scheduling while present.'),
  field('resourceClaims', 39, array(ref(core('PodResourceClaim'))), 'Dynamic resource claims the pod needs.', {
    patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'],
  }),
  field('resources', 40, ref(core('ResourceRequirements')), 'Pod-level CPU and memory requests and limits.'),
]);

const podStatus = type(core('PodStatus'), 'Observed state of a pod.', [
  field('phase', 1, string, 'Summary of the pod lifecycle: Pending, Running, Succeeded, Failed or Unknown.', { enum: ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] }),
  keyedList('conditions', 2, core('PodCondition'), 'type', 'Current conditions of the pod.'),
  field('message', 3, string, 'Human-readable detail about the pod state.'),
  field('reason', 4, string, 'Short CamelCase reason for the pod state, e.g. Evicted.'),
  field('nominatedNodeName', 11, string, 'Node the pod is expected to land on after preemption.'),
  field('hostIP', 5, string, 'IP of the node the pod runs on.'),
  field('hostIPs', 16, array(ref(core('HostIP'))), 'IPs of the node the pod runs on.', { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic' }),
  field('podIP', 6, string, 'Primary IP of the pod.'),
  field('podIPs', 12, array(ref(core('PodIP'))), 'IPs of the pod, at most one per family.', { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] }),
  field('startTime', 7, time, 'When the kubelet acknowledged the pod.'),
  field('initContainerStatuses', 10, array(ref(core('ContainerStatus'))), 'Status of the init containers.', { listType: 'atomic' }),
  field('containerStatuses', 8, array(ref(core('ContainerStatus'))), 'Status of the main containers.', { listType: 'atomic' }),
  field('qosClass', 9, string, 'Quality of service class: Guaranteed, Burstable or BestEffort.', { enum: ['Guaranteed', 'Burstable', 'BestEffort'] }),
  field('ephemeralContainerStatuses', 13, array(ref(core('ContainerStatus'))), 'Status of the ephemeral containers.', { listType: 'atomic' }),
  field('resize', 14, string, 'Deprecated state of a pending in-place resize.'),
  field('resourceClaimStatuses', 15, array(ref(core('PodResourceClaimStatus'))), 'Names of claims generated for the pod.', {
    patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'],
  }),
]);

const podCondition = type(core('PodCondition'), 'One condition of a pod.', [
  field('type', 1, string, 'Kind of condition, e.g. Ready or PodScheduled.', { required: true }),
  field('status', 2, string, 'True, False or Unknown.', { required: true }),
  field('lastProbeTime', 3, time, 'When the condition was last probed.'),
  field('lastTransitionTime', 4, time, 'When the status last changed.'),
  field('reason', 5, string, 'CamelCase reason for the last transition.'),
  field('message', 6, string, 'Human-readable detail about the last transition.'),
]);

const podIP = type(core('PodIP'), 'One IP of a pod.', [field('ip', 1, string, 'The IP address.', { required: true })]);
const hostIP = type(core('HostIP'), 'One IP of the host of a pod.', [field('ip', 1, string, 'The IP address.', { required: true })]);

const podTemplateSpec = type(core('PodTemplateSpec'), 'The pods a controller creates: their metadata and spec.', [
  field('metadata', 1, objectMeta, 'Metadata given to the created pods.'),
  field('spec', 2, ref(core('PodSpec')), 'Spec of the created pods.'),
]);

const podTemplate = type(core('PodTemplate'), 'A stored pod template.', [
  field('apiVersion', 0, string, 'API version of this object.'),
  field('kind', 0, string, 'Kind of this object.'),
  field('metadata', 1, objectMeta, 'Standard object metadata.'),
  field('template', 2, ref(core('PodTemplateSpec')), 'The pod template.'),
], { gvk: gvk('', 'v1', 'PodTemplate') });

const podSecurityContext = type(core('PodSecurityContext'), 'Pod-level security settings, defaults for every container.', [
  field('seLinuxOptions', 1, ref(core('SELinuxOptions')), 'SELinux labels for all containers.'),
  field('windowsOptions', 8, ref(core('WindowsSecurityContextOptions')), 'Windows-specific settings for all containers.'),
  field('runAsUser', 2, int64, 'UID of the container processes.'),
  field('runAsGroup', 6, int64, 'GID of the container processes.'),
  field('runAsNonRoot', 3, boolean, 'Refuse to start containers that would run as UID 0.'),
  field('supplementalGroups', 4, array(int64), 'Extra group IDs for the first process of each container.', { listType: 'atomic' }),
  field('supplementalGroupsPolicy', 12, string, 'How supplemental groups are computed: Merge or Strict.'),
  field('fsGroup', 5, int64, 'Group that owns supported volumes.'),
  field('sysctls', 7, array(ref(core('Sysctl'))), 'Namespaced kernel parameters for the pod.', { listType: 'atomic' }),
  field('fsGroupChangePolicy', 9, string, 'When volume ownership is changed: OnRootMismatch or Always.'),
  field('seccompProfile', 10, ref(core('SeccompProfile')), 'Seccomp profile for all containers.'),
  field('appArmorProfile', 11, ref(core('AppArmorProfile')), 'AppArmor profile for all containers.'),
  field('seLinuxChangePolicy', 13, string, 'How SELinux labels are applied to volumes: MountOption or Recursive.'),
]);

const sysctl = type(core('Sysctl'), 'A kernel parameter to set.', [
  field('name', 1, string, 'Name of the parameter.', { required: true }),
  field('value', 2, string, 'Value of the parameter.', { required: true }),
]);

const affinity = type(core('Affinity'), 'Affinity scheduling rules of a pod.', [
  field('nodeAffinity', 1, ref(core('NodeAffinity')), 'Rules about which nodes the pod may run on.'),
  field('podAffinity', 2, ref(core('PodAffinity')), 'Rules to co-locate the pod with other pods.'),
  field('podAntiAffinity', 3, ref(core('PodAntiAffinity')), 'Rules to keep the pod away from other pods.'),
]);

const nodeAffinity = type(core('NodeAffinity'), 'Node affinity rules.', [
  field('requiredDuringSchedulingIgnoredDuringExecution', 1, ref(core('NodeSelector')), 'Node constraints that must hold at scheduling time.'),
  field('preferredDuringSchedulingIgnoredDuringExecution', 2, array(ref(core('PreferredSchedulingTerm'))), 'Weighted node preferences.', { listType: 'atomic' }),
]);

const preferredSchedulingTerm = type(core('PreferredSchedulingTerm'), 'A weighted node selector term.', [
  field('weight', 1, int32, 'Weight of the term, 1 to 100.', { required: true }),
  field('preference', 2, ref(core('NodeSelectorTerm')), 'The node selector term.', { required: true }),
]);

const podAffinity = type(core('PodAffinity'), 'Rules to place a pod near other pods.', [
  field('requiredDuringSchedulingIgnoredDuringExecution', 1, array(ref(core('PodAffinityTerm'))), 'Terms that must all hold at scheduling time.', { listType: 'atomic' }),
  field('preferredDuringSchedulingIgnoredDuringExecution', 2, array(ref(core('WeightedPodAffinityTerm'))), 'Weighted preferences.', { listType: 'atomic' }),
]);

const podAntiAffinity = type(core('PodAntiAffinity'), 'Rules to keep a pod away from other pods.', [
  field('requiredDuringSchedulingIgnoredDuringExecution', 1, array(ref(core('PodAffinityTerm'))), 'Terms that must all hold at scheduling time.', { listType: 'atomic' }),
  field('preferredDuringSchedulingIgnoredDuringExecution', 2, array(ref(core('WeightedPodAffinityTerm'))), 'Weighted preferences.', { listType: 'atomic' }),
]);

const podAffinityTerm = type(core('PodAffinityTerm'), 'A set of pods, and the topology key that defines being near them.', [
  field('labelSelector', 1, ref(meta('LabelSelector')), 'Selects the pods the term is about.'),
  field('namespaces', 2, array(string), 'Namespaces to look for those pods in.', { listType: 'atomic' }),
  field('topologyKey', 3, string, 'Node label whose equal values count as the same place.', { required: true }),
  field('namespaceSelector', 4, ref(meta('LabelSelector')), 'Selects namespaces to look for those pods in.'),
  field('matchLabelKeys', 5, array(string), 'Incoming pod label keys added to the selector as key in (value).', { listType: 'atomic' }),
  field('mismatchLabelKeys', 6, array(string), 'Incoming pod label keys added to the selector as key notin (value).', { listType: 'atomic' }),
]);

const weightedPodAffinityTerm = type(core('WeightedPodAffinityTerm'), 'A pod affinity term with a weight.', [
  field('weight', 1, int32, 'Weight of the term, 1 to 100.', { required: true }),
  field('podAffinityTerm', 2, ref(core('PodAffinityTerm')), 'The pod affinity term.', { required: true }),
]);

const toleration = type(core('Toleration'), 'Lets a pod tolerate taints matching key, value and effect.', [
  field('key', 1, string, 'Taint key to match; empty with Exists matches every taint.'),
  field('operator', 2, string, 'Exists or Equal; defaults to Equal.', { enum: ['Exists', 'Equal'] }),
  field('value', 3, string, 'Taint value to match for Equal.'),
  field('effect', 4, string, 'Taint effect to match; empty matches all.', { enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] }),
  field('tolerationSeconds', 5, int64, 'How long a NoExecute taint is tolerated before eviction.'),
]);

const topologySpreadConstraint = type(core('TopologySpreadConstraint'), 'How matching pods spread over a topology.', [
  field('maxSkew', 1, int32, 'Largest allowed difference in matching pods between domains.', { required: true }),
  field('topologyKey', 2, string, 'Node label that defines the domains.', { required: true }),
  field('whenUnsatisfiable', 3, string, 'DoNotSchedule or ScheduleAnyway.', { required: true, enum: ['DoNotSchedule', 'ScheduleAnyway'] }),
  field('labelSelector', 4, ref(meta('LabelSelector')), 'Selects the pods that are counted.'),
  field('minDomains', 5, int32, 'Minimum number of eligible domains.'),
  field('nodeAffinityPolicy', 6, string, 'Whether node affinity limits the domains: Honor or Ignore.'),
  field('nodeTaintsPolicy', 7, string, 'Whether node taints limit the domains: Honor or Ignore.'),
  field('matchLabelKeys', 8, array(string), 'Incoming pod label keys added to the selector.', { listType: 'atomic' }),
]);

const hostAlias = type(core('HostAlias'), 'An entry of the pod hosts file.', [
  field('ip', 1, string, 'IP address of the entry.', { required: true }),
  field('hostnames', 2, array(string), 'Hostnames for the IP.', { listType: 'atomic' }),
]);

const podDNSConfig = type(core('PodDNSConfig'), 'Extra DNS settings of a pod.', [
  field('nameservers', 1, array(string), 'Extra name server IPs.', { listType: 'atomic' }),
  field('searches', 2, array(string), 'Extra search domains.', { listType: 'atomic' }),
  field('options', 3, array(ref(core('PodDNSConfigOption'))), 'Resolver options.', { listType: 'atomic' }),
]);

const podDNSConfigOption = type(core('PodDNSConfigOption'), 'A resolver option.', [
  field('name', 1, string, 'Option name.'),
  field('value', 2, string, 'Option value.'),
]);

const podReadinessGate = type(core('PodReadinessGate'), 'A pod condition that must be true for readiness.', [
  field('conditionType', 1, string, 'Type of the pod condition.', { required: true }),
]);

const podOS = type(core('PodOS'), 'Operating system of a pod.', [
  field('name', 1, string, 'linux or windows.', { required: true }),
]);

const podSchedulingGate = type(core('PodSchedulingGate'), 'A gate that holds back scheduling.', [
  field('name', 1, string, 'Name of the gate.', { required: true }),
]);

const podResourceClaim = type(core('PodResourceClaim'), 'A dynamic resource claim used by a pod, by name or through a template.', [
  field('name', 1, string, 'Name of the claim within the pod.', { required: true }),
  field('resourceClaimName', 3, string, 'Existing ResourceClaim to use.'),
  field('resourceClaimTemplateName', 4, string, 'ResourceClaimTemplate to create a claim from.'),
]);

const podResourceClaimStatus = type(core('PodResourceClaimStatus'), 'Name of a claim generated for a pod.', [
  field('name', 1, string, 'Name of the claim within the pod.', { required: true }),
  field('resourceClaimName', 2, string, 'Name of the generated ResourceClaim.'),
]);

export const corePodTypes: readonly TypeDef[] = [
  pod, podSpec, podStatus, podCondition, podIP, hostIP, podTemplateSpec, podTemplate, podSecurityContext, sysctl,
  affinity, nodeAffinity, preferredSchedulingTerm, podAffinity, podAntiAffinity, podAffinityTerm,
  weightedPodAffinityTerm, toleration, topologySpreadConstraint, hostAlias, podDNSConfig, podDNSConfigOption,
  podReadinessGate, podOS, podSchedulingGate, podResourceClaim, podResourceClaimStatus,
];

registerTypes(corePodTypes);
