// core/v1 Node (spec, taints, status with capacity, conditions, addresses,
// system info, images) and ReplicationController. Field numbers from
// core/v1 generated.proto.

import { array, boolean, core, field, gvk, int32, int64, keyedList, map, meta, quantity, ref, string, time, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { TypeDef } from './types.ts';

const quantities = map(quantity);

const node = type(core('Node'), 'A worker machine of the cluster.', [
  field('apiVersion', 0, string, 'API version of this object.'),
  field('kind', 0, string, 'Kind of this object.'),
  field('metadata', 1, ref(meta('ObjectMeta')), 'Standard object metadata.'),
  field('spec', 2, ref(core('NodeSpec')), 'Desired behaviour of the node.'),
  field('status', 3, ref(core('NodeStatus')), 'Most recently observed state of the node.'),
], { gvk: gvk('', 'v1', 'Node') });

const nodeSpec = type(core('NodeSpec'), 'Attributes a node is registered with.', [
  field('podCIDR', 1, string, 'Pod IP range assigned to the node.'),
  field('podCIDRs', 7, array(string), 'Pod IP ranges, at most one per IP family.', { patchStrategy: 'merge', listType: 'set' }),
  field('providerID', 3, string, 'ID of the node at the cloud provider.'),
  field('unschedulable', 4, boolean, 'Keep new pods off the node.'),
  field('taints', 5, array(ref(core('Taint'))), 'Taints that repel pods without matching tolerations.', { listType: 'atomic' }),
  field('configSource', 6, ref(core('NodeConfigSource')), 'Deprecated dynamic kubelet config source.'),
  field('externalID', 2, string, 'Deprecated external ID.'),
]);

const taint = type(core('Taint'), 'A mark on a node that repels pods that do not tolerate it.', [
  field('key', 1, string, 'Taint key.', { required: true }),
  field('value', 2, string, 'Taint value.'),
  field('effect', 3, string, 'NoSchedule, PreferNoSchedule or NoExecute.', { required: true, enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] }),
  field('timeAdded', 4, time, 'When a NoExecute taint was added.'),
]);

const nodeConfigSource = type(core('NodeConfigSource'), 'Deprecated source of kubelet configuration.', [
  field('configMap', 2, ref(core('ConfigMapNodeConfigSource')), 'ConfigMap holding the configuration.'),
]);

const configMapNodeConfigSource = type(core('ConfigMapNodeConfigSource'), 'A ConfigMap used as kubelet configuration.', [
  field('namespace', 1, string, 'Namespace of the ConfigMap.', { required: true }),
  field('name', 2, string, 'Name of the ConfigMap.', { required: true }),
  field('uid', 3, string, 'UID of the ConfigMap.'),
  field('resourceVersion', 4, string, 'Resource version of the ConfigMap.'),
  field('kubeletConfigKey', 5, string, 'Key holding the KubeletConfiguration.', { required: true }),
]);

const nodeStatus = type(core('NodeStatus'), 'Observed state of a node.', [
  field('capacity', 1, quantities, 'Total resources of the node.'),
  field('allocatable', 2, quantities, 'Resources available to pods.'),
  field('phase', 3, string, 'Deprecated and never set.'),
  keyedList('conditions', 4, core('NodeCondition'), 'type', 'Current conditions of the node, e.g. Ready.'),
  keyedList('addresses', 5, core('NodeAddress'), 'type', 'Addresses the node is reachable at.'),
  field('daemonEndpoints', 6, ref(core('NodeDaemonEndpoints')), 'Ports of daemons on the node.'),
  field('nodeInfo', 7, ref(core('NodeSystemInfo')), 'Identity and versions of the node.'),
  field('images', 8, array(ref(core('ContainerImage'))), 'Images present on the node.', { listType: 'atomic' }),
  field('volumesInUse', 9, array(string), 'Attachable volumes mounted on the node.', { listType: 'atomic' }),
  field('volumesAttached', 10, array(ref(core('AttachedVolume'))), 'Volumes attached to the node.', { listType: 'atomic' }),
  field('config', 11, ref(core('NodeConfigStatus')), 'Deprecated dynamic kubelet config status.'),
  field('runtimeHandlers', 12, array(ref(core('NodeRuntimeHandler'))), 'Runtime handlers available on the node.', { listType: 'atomic' }),
  field('features', 13, ref(core('NodeFeatures')), 'Features the container runtime implements.'),
]);

const nodeCondition = type(core('NodeCondition'), 'One condition of a node.', [
  field('type', 1, string, 'Kind of condition, e.g. Ready or MemoryPressure.', { required: true }),
  field('status', 2, string, 'True, False or Unknown.', { required: true }),
  field('lastHeartbeatTime', 3, time, 'When the condition was last reported.'),
  field('lastTransitionTime', 4, time, 'When the status last changed.'),
  field('reason', 5, string, 'Short reason for the last transition.'),
  field('message', 6, string, 'Details about the last transition.'),
]);

const nodeAddress = type(core('NodeAddress'), 'One address of a node.', [
  field('type', 1, string, 'Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.', { required: true }),
  field('address', 2, string, 'The address.', { required: true }),
]);

const nodeDaemonEndpoints = type(core('NodeDaemonEndpoints'), 'Ports opened by daemons on a node.', [
  field('kubeletEndpoint', 1, ref(core('DaemonEndpoint')), 'Where the kubelet listens.'),
]);

const daemonEndpoint = type(core('DaemonEndpoint'), 'One daemon endpoint.', [
  field('Port', 1, int32, 'Port number.', { required: true }),
]);

const nodeSystemInfo = type(core('NodeSystemInfo'), 'Identity and software versions of a node.', [
  field('machineID', 1, string, 'Machine ID of the node.', { required: true }),
  field('systemUUID', 2, string, 'System UUID of the node.', { required: true }),
  field('bootID', 3, string, 'Boot ID of the node.', { required: true }),
  field('kernelVersion', 4, string, 'Kernel version from uname -r.', { required: true }),
  field('osImage', 5, string, 'OS image from /etc/os-release.', { required: true }),
  field('containerRuntimeVersion', 6, string, 'Container runtime and version, e.g. containerd://1.7.0.', { required: true }),
  field('kubeletVersion', 7, string, 'Kubelet version.', { required: true }),
  field('kubeProxyVersion', 8, string, 'Deprecated kube-proxy version.', { required: true }),
  field('operatingSystem', 9, string, 'Operating system, e.g. linux.', { required: true }),
  field('architecture', 10, string, 'CPU architecture, e.g. amd64.', { required: true }),
  field('swap', 11, ref(core('NodeSwapStatus')), 'Swap memory of the node.'),
]);

const nodeSwapStatus = type(core('NodeSwapStatus'), 'Swap memory of a node.', [
  field('capacity', 1, int64, 'Total swap in bytes.'),
]);

const containerImage = type(core('ContainerImage'), 'An image present on a node.', [
  field('names', 1, array(string), 'Names the image is known by.', { listType: 'atomic' }),
  field('sizeBytes', 2, int64, 'Size of the image in bytes.'),
]);

const attachedVolume = type(core('AttachedVolume'), 'A volume attached to a node.', [
  field('name', 1, string, 'Name of the volume.', { required: true }),
  field('devicePath', 2, string, 'Device path where the volume is available.', { required: true }),
]);

const nodeConfigStatus = type(core('NodeConfigStatus'), 'Deprecated status of dynamic kubelet configuration.', [
  field('assigned', 1, ref(core('NodeConfigSource')), 'Configuration the node will try to use.'),
  field('active', 2, ref(core('NodeConfigSource')), 'Configuration the node is using.'),
  field('lastKnownGood', 3, ref(core('NodeConfigSource')), 'Configuration the node falls back to.'),
  field('error', 4, string, 'Problem applying the configuration.'),
]);

const nodeRuntimeHandler = type(core('NodeRuntimeHandler'), 'A runtime handler of a node.', [
  field('name', 1, string, 'Handler name; empty for the default.'),
  field('features', 2, ref(core('NodeRuntimeHandlerFeatures')), 'Features the handler supports.'),
]);

const nodeRuntimeHandlerFeatures = type(core('NodeRuntimeHandlerFeatures'), 'Features of a runtime handler.', [
  field('recursiveReadOnlyMounts', 1, boolean, 'Supports recursive read-only mounts.'),
  field('userNamespaces', 2, boolean, 'Supports user namespaces.'),
]);

const nodeFeatures = type(core('NodeFeatures'), 'Features of the container runtime of a node.', [
  field('supplementalGroupsPolicy', 1, boolean, 'Supports supplementalGroupsPolicy and container users.'),
]);

const rc = type(core('ReplicationController'), 'Keeps a number of pod replicas running; the predecessor of ReplicaSet.', [
  field('apiVersion', 0, string, 'API version of this object.'),
  field('kind', 0, string, 'Kind of this object.'),
  field('metadata', 1, ref(meta('ObjectMeta')), 'Standard object metadata.'),
  field('spec', 2, ref(core('ReplicationControllerSpec')), 'Desired behaviour of the controller.'),
  field('status', 3, ref(core('ReplicationControllerStatus')), 'Most recently observed state.'),
], { gvk: gvk('', 'v1', 'ReplicationController') });

const rcSpec = type(core('ReplicationControllerSpec'), 'Desired state of a replication controller.', [
  field('replicas', 1, int32, 'Desired number of pods; defaults to 1.'),
  field('minReadySeconds', 4, int32, 'Seconds a new pod must be ready to count as available.'),
  field('selector', 2, map(string), 'Labels of the pods to manage; defaults to the template labels.', { mapType: 'atomic' }),
  field('template', 3, ref(core('PodTemplateSpec')), 'Pods created when replicas are missing.'),
]);

const rcStatus = type(core('ReplicationControllerStatus'), 'Observed state of a replication controller.', [
  field('replicas', 1, int32, 'Number of pods seen.', { required: true }),
  field('fullyLabeledReplicas', 2, int32, 'Pods carrying all template labels.'),
  field('readyReplicas', 4, int32, 'Ready pods.'),
  field('availableReplicas', 5, int32, 'Pods ready for at least minReadySeconds.'),
  field('observedGeneration', 3, int64, 'Generation last acted on.'),
  keyedList('conditions', 6, core('ReplicationControllerCondition'), 'type', 'Current conditions.'),
]);

const rcCondition = type(core('ReplicationControllerCondition'), 'One condition of a replication controller.', [
  field('type', 1, string, 'Kind of condition.', { required: true }),
  field('status', 2, string, 'True, False or Unknown.', { required: true }),
  field('lastTransitionTime', 3, time, 'When the status last changed.'),
  field('reason', 4, string, 'Reason for the last transition.'),
  field('message', 5, string, 'Details about the last transition.'),
]);

export const coreNodeTypes: readonly TypeDef[] = [
  node, nodeSpec, taint, nodeConfigSource, configMapNodeConfigSource, nodeStatus, nodeCondition, nodeAddress,
  nodeDaemonEndpoints, daemonEndpoint, nodeSystemInfo, nodeSwapStatus, containerImage, attachedVolume,
  nodeConfigStatus, nodeRuntimeHandler, nodeRuntimeHandlerFeatures, nodeFeatures, rc, rcSpec, rcStatus, rcCondition,
];

registerTypes(coreNodeTypes);
