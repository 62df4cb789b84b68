// core/v1 storage: pod volumes and their sources, projections, and the
// PersistentVolume / PersistentVolumeClaim kinds. Rarely used in-tree
// sources are declared free-form. Field numbers from core/v1 generated.proto.

import { array, boolean, core, field, freeForm, gvk, int32, int64, keyedList, map, meta, quantity, ref, string, time, type } from './build.ts';
import { inlinedTag } from './core-inline.ts';
import { registerTypes } from './index.ts';
import type { FieldDef, TypeDef } from './types.ts';

const quantities = map(quantity);
const legacy = (name: string, tag: number, what: string): FieldDef => field(name, tag, freeForm, `Legacy in-tree ${what} volume.`);

// Volume embeds VolumeSource as message 2.
const vs = (n: number): number => inlinedTag(2, n);

const volume = type(core('Volume'), 'A named volume of a pod that its containers can mount.', [
  field('name', 1, string, 'Name of the volume, a DNS label unique in the pod.', { required: true }),
  field('hostPath', vs(1), ref(core('HostPathVolumeSource')), 'A file or directory of the host.'),
  field('emptyDir', vs(2), ref(core('EmptyDirVolumeSource')), 'A scratch directory living as long as the pod.'),
  legacy('gcePersistentDisk', vs(3), 'GCE persistent disk'),
  legacy('awsElasticBlockStore', vs(4), 'AWS EBS'),
  legacy('gitRepo', vs(5), 'git repository'),
  field('secret', vs(6), ref(core('SecretVolumeSource')), 'The keys of a Secret as files.'),
  field('nfs', vs(7), ref(core('NFSVolumeSource')), 'An NFS export.'),
  legacy('iscsi', vs(8), 'iSCSI'),
  legacy('glusterfs', vs(9), 'GlusterFS'),
  field('persistentVolumeClaim', vs(10), ref(core('PersistentVolumeClaimVolumeSource')), 'A PersistentVolumeClaim in the pod namespace.'),
  legacy('rbd', vs(11), 'Ceph RBD'),
  legacy('flexVolume', vs(12), 'FlexVolume'),
  legacy('cinder', vs(13), 'OpenStack Cinder'),
  legacy('cephfs', vs(14), 'CephFS'),
  legacy('flocker', vs(15), 'Flocker'),
  field('downwardAPI', vs(16), ref(core('DownwardAPIVolumeSource')), 'Pod metadata and resources as files.'),
  legacy('fc', vs(17), 'Fibre Channel'),
  legacy('azureFile', vs(18), 'Azure File'),
  field('configMap', vs(19), ref(core('ConfigMapVolumeSource')), 'The keys of a ConfigMap as files.'),
  legacy('vsphereVolume', vs(20), 'vSphere'),
  legacy('quobyte', vs(21), 'Quobyte'),
  legacy('azureDisk', vs(22), 'Azure Disk'),
  legacy('photonPersistentDisk', vs(23), 'Photon Controller'),
  legacy('portworxVolume', vs(24), 'Portworx'),
  legacy('scaleIO', vs(25), 'ScaleIO'),
  field('projected', vs(26), ref(core('ProjectedVolumeSource')), 'Several sources projected into one directory.'),
  legacy('storageos', vs(27), 'StorageOS'),
  field('csi', vs(28), ref(core('CSIVolumeSource')), 'An inline volume from a CSI driver.'),
  field('ephemeral', vs(29), ref(core('EphemeralVolumeSource')), 'A PVC created and deleted with the pod.'),
  field('image', vs(30), ref(core('ImageVolumeSource')), 'An OCI image or artifact mounted read-only.'),
]);

const hostPath = type(core('HostPathVolumeSource'), 'A path on the host.', [
  field('path', 1, string, 'Path on the host.', { required: true }),
  field('type', 2, string, 'What must exist at the path, e.g. Directory or FileOrCreate.'),
]);

const emptyDir = type(core('EmptyDirVolumeSource'), 'An empty directory created for the pod.', [
  field('medium', 1, string, 'Storage medium: empty for the node default, or Memory.'),
  field('sizeLimit', 2, quantity, 'Maximum size of the directory.'),
]);

const secretVolume = type(core('SecretVolumeSource'), 'A Secret presented as files.', [
  field('secretName', 1, string, 'Name of the Secret in the pod namespace.'),
  field('items', 2, array(ref(core('KeyToPath'))), 'Keys to project and their paths; all keys when empty.', { listType: 'atomic' }),
  field('defaultMode', 3, int32, 'Default permission bits of the files.'),
  field('optional', 4, boolean, 'Whether the Secret may be missing.'),
]);

const nfs = type(core('NFSVolumeSource'), 'An NFS export.', [
  field('server', 1, string, 'Host name or IP of the NFS server.', { required: true }),
  field('path', 2, string, 'Exported path.', { required: true }),
  field('readOnly', 3, boolean, 'Mount the export read-only.'),
]);

const pvcVolume = type(core('PersistentVolumeClaimVolumeSource'), 'A reference to a claim in the pod namespace.', [
  field('claimName', 1, string, 'Name of the PersistentVolumeClaim.', { required: true }),
  field('readOnly', 2, boolean, 'Mount the volume read-only.'),
]);

const downwardAPIVolume = type(core('DownwardAPIVolumeSource'), 'Pod information presented as files.', [
  field('items', 1, array(ref(core('DownwardAPIVolumeFile'))), 'Files to create.', { listType: 'atomic' }),
  field('defaultMode', 2, int32, 'Default permission bits of the files.'),
]);

const downwardAPIFile = type(core('DownwardAPIVolumeFile'), 'A file holding one pod field or container resource.', [
  field('path', 1, string, 'Relative path of the file.', { required: true }),
  field('fieldRef', 2, ref(core('ObjectFieldSelector')), 'Pod field to write.'),
  field('resourceFieldRef', 3, ref(core('ResourceFieldSelector')), 'Container resource to write.'),
  field('mode', 4, int32, 'Permission bits of the file.'),
]);

const configMapVolume = type(core('ConfigMapVolumeSource'), 'A ConfigMap presented as files.', [
  field('name', inlinedTag(1, 1), string, 'Name of the ConfigMap.'),
  field('items', 2, array(ref(core('KeyToPath'))), 'Keys to project and their paths; all keys when empty.', { listType: 'atomic' }),
  field('defaultMode', 3, int32, 'Default permission bits of the files.'),
  field('optional', 4, boolean, 'Whether the ConfigMap may be missing.'),
]);

const projected = type(core('ProjectedVolumeSource'), 'Several sources combined into one directory.', [
  field('sources', 1, array(ref(core('VolumeProjection'))), 'The sources to project.', { listType: 'atomic' }),
  field('defaultMode', 2, int32, 'Default permission bits of the files.'),
]);

const volumeProjection = type(core('VolumeProjection'), 'One projected source; exactly one member is set.', [
  field('secret', 1, ref(core('SecretProjection')), 'Keys of a Secret.'),
  field('downwardAPI', 2, ref(core('DownwardAPIProjection')), 'Pod information.'),
  field('configMap', 3, ref(core('ConfigMapProjection')), 'Keys of a ConfigMap.'),
  field('serviceAccountToken', 4, ref(core('ServiceAccountTokenProjection')), 'A service account token.'),
  field('clusterTrustBundle', 5, ref(core('ClusterTrustBundleProjection')), 'Certificates from ClusterTrustBundle objects.'),
]);

const secretProjection = type(core('SecretProjection'), 'A Secret projected into a volume.', [
  field('name', inlinedTag(1, 1), string, 'Name of the Secret.'),
  field('items', 2, array(ref(core('KeyToPath'))), 'Keys to project and their paths.', { listType: 'atomic' }),
  field('optional', 4, boolean, 'Whether the Secret may be missing.'),
]);

const configMapProjection = type(core('ConfigMapProjection'), 'A ConfigMap projected into a volume.', [
  field('name', inlinedTag(1, 1), string, 'Name of the ConfigMap.'),
  field('items', 2, array(ref(core('KeyToPath'))), 'Keys to project and their paths.', { listType: 'atomic' }),
  field('optional', 4, boolean, 'Whether the ConfigMap may be missing.'),
]);

const downwardAPIProjection = type(core('DownwardAPIProjection'), 'Pod information projected into a volume.', [
  field('items', 1, array(ref(core('DownwardAPIVolumeFile'))), 'Files to create.', { listType: 'atomic' }),
]);

const tokenProjection = type(core('ServiceAccountTokenProjection'), 'A service account token projected into a volume.', [
  field('audience', 1, string, 'Intended audience of the token.'),
  field('expirationSeconds', 2, int64, 'Requested lifetime of the token.'),
  field('path', 3, string, 'Relative path of the token file.', { required: true }),
]);

const trustBundleProjection = type(core('ClusterTrustBundleProjection'), 'ClusterTrustBundle certificates projected into a volume.', [
  field('name', 1, string, 'Select one bundle by name.'),
  field('signerName', 2, string, 'Select bundles of this signer.'),
  field('labelSelector', 3, ref(meta('LabelSelector')), 'Narrow the signer bundles by label.'),
  field('optional', 5, boolean, 'Do not block pod start if no bundle matches.'),
  field('path', 4, string, 'Relative path of the bundle file.', { required: true }),
]);

const csiVolume = type(core('CSIVolumeSource'), 'An inline volume provided by a CSI driver.', [
  field('driver', 1, string, 'Name of the CSI driver.', { required: true }),
  field('readOnly', 2, boolean, 'Mount read-only.'),
  field('fsType', 3, string, 'Filesystem type to mount.'),
  field('volumeAttributes', 4, map(string), 'Driver-specific properties.'),
  field('nodePublishSecretRef', 5, ref(core('LocalObjectReference')), 'Secret passed to the driver on publish.'),
]);

const ephemeralVolume = type(core('EphemeralVolumeSource'), 'A volume backed by a PVC that lives as long as the pod.', [
  field('volumeClaimTemplate', 1, ref(core('PersistentVolumeClaimTemplate')), 'Template of the PVC to create.'),
]);

const imageVolume = type(core('ImageVolumeSource'), 'An OCI image or artifact used as a volume.', [
  field('reference', 1, string, 'Image or artifact reference.'),
  field('pullPolicy', 2, string, 'Always, Never or IfNotPresent.', { enum: ['Always', 'Never', 'IfNotPresent'] }),
]);

const pvcTemplate = type(core('PersistentVolumeClaimTemplate'), 'Template for a PVC created as part of an ephemeral volume.', [
  field('metadata', 1, ref(meta('ObjectMeta')), 'Labels and annotations copied to the PVC.'),
  field('spec', 2, ref(core('PersistentVolumeClaimSpec')), 'Spec of the PVC.', { required: true }),
]);

const pvc = type(core('PersistentVolumeClaim'), 'A user request for a persistent volume.', [
  field('apiVersion', 0, string, 'API version of this object.'),
  field('kind', 0, string, 'Kind of this object.'),
  field('metadata', 1, ref(meta('ObjectMeta')), 'Standard object metadata.'),
  field('spec', 2, ref(core('PersistentVolumeClaimSpec')), 'The storage requested.'),
  field('status', 3, ref(core('PersistentVolumeClaimStatus')), 'Observed state of the claim.'),
], { gvk: gvk('', 'v1', 'PersistentVolumeClaim') });

const pvcSpec = type(core('PersistentVolumeClaimSpec'), 'What a claim asks for.', [
  field('accessModes', 1, array(string), 'Access modes the volume must support.', { listType: 'atomic' }),
  field('selector', 4, ref(meta('LabelSelector')), 'Label query over volumes that may bind.'),
  field('resources', 2, ref(core('VolumeResourceRequirements')), 'Minimum resources the volume must have.'),
  field('volumeName', 3, string, 'PersistentVolume bound to the claim.'),
  field('storageClassName', 5, string, 'StorageClass the claim needs.'),
  field('volumeMode', 6, string, 'Filesystem or Block.', { enum: ['Filesystem', 'Block'] }),
  field('dataSource', 7, ref(core('TypedLocalObjectReference')), 'Snapshot or PVC to populate the volume from.'),
  field('dataSourceRef', 8, ref(core('TypedObjectReference')), 'Any populator object to fill the volume from.'),
  field('volumeAttributesClassName', 9, string, 'VolumeAttributesClass to apply.'),
]);

const pvcStatus = type(core('PersistentVolumeClaimStatus'), 'Observed state of a claim.', [
  field('phase', 1, string, 'Pending, Bound or Lost.', { enum: ['Pending', 'Bound', 'Lost'] }),
  field('accessModes', 2, array(string), 'Access modes of the bound volume.', { listType: 'atomic' }),
  field('capacity', 3, quantities, 'Capacity of the bound volume.'),
  keyedList('conditions', 4, core('PersistentVolumeClaimCondition'), 'type', 'Current conditions of the claim.'),
  field('allocatedResources', 5, quantities, 'Resources allocated to the claim, including pending expansions.'),
  field('allocatedResourceStatuses', 7, map(string), 'State of resize operations per resource.', { mapType: 'granular' }),
  field('currentVolumeAttributesClassName', 8, string, 'VolumeAttributesClass currently applied.'),
  field('modifyVolumeStatus', 9, ref(core('ModifyVolumeStatus')), 'State of an ongoing volume modification.'),
]);

const pvcCondition = type(core('PersistentVolumeClaimCondition'), 'One condition of a claim.', [
  field('type', 1, string, 'Kind of condition.', { required: true }),
  field('status', 2, string, 'True, False or Unknown.', { required: true }),
  field('lastProbeTime', 3, time, 'When the condition was last probed.'),
  field('lastTransitionTime', 4, time, 'When the status last changed.'),
  field('reason', 5, string, 'Short reason for the last transition.'),
  field('message', 6, string, 'Details about the last transition.'),
]);

const modifyVolumeStatus = type(core('ModifyVolumeStatus'), 'State of a volume modification.', [
  field('targetVolumeAttributesClassName', 1, string, 'VolumeAttributesClass being applied.'),
  field('status', 2, string, 'Pending, InProgress or Infeasible.', { required: true }),
]);

const volumeResources = type(core('VolumeResourceRequirements'), 'Storage resource requests and limits.', [
  field('limits', 1, quantities, 'Maximum amount of each resource.'),
  field('requests', 2, quantities, 'Minimum amount of each resource.'),
]);

// PersistentVolumeSpec embeds PersistentVolumeSource as message 2.
const pvs = (n: number): number => inlinedTag(2, n);

const pv = type(core('PersistentVolume'), 'A piece of storage provisioned in the cluster.', [
  field('apiVersion', 0, string, 'API version of this object.'),
  field('kind', 0, string, 'Kind of this object.'),
  field('metadata', 1, ref(meta('ObjectMeta')), 'Standard object metadata.'),
  field('spec', 2, ref(core('PersistentVolumeSpec')), 'What the volume provides.'),
  field('status', 3, ref(core('PersistentVolumeStatus')), 'Observed state of the volume.'),
], { gvk: gvk('', 'v1', 'PersistentVolume') });

const pvSpec = type(core('PersistentVolumeSpec'), 'What a persistent volume provides and where it comes from.', [
  field('capacity', 1, quantities, 'Capacity of the volume.'),
  legacy('gcePersistentDisk', pvs(1), 'GCE persistent disk'),
  legacy('awsElasticBlockStore', pvs(2), 'AWS EBS'),
  field('hostPath', pvs(3), ref(core('HostPathVolumeSource')), 'A directory on the host, for single-node testing.'),
  legacy('glusterfs', pvs(4), 'GlusterFS'),
  field('nfs', pvs(5), ref(core('NFSVolumeSource')), 'An NFS export.'),
  legacy('rbd', pvs(6), 'Ceph RBD'),
  legacy('iscsi', pvs(7), 'iSCSI'),
  legacy('cinder', pvs(8), 'OpenStack Cinder'),
  legacy('cephfs', pvs(9), 'CephFS'),
  legacy('fc', pvs(10), 'Fibre Channel'),
  legacy('flocker', pvs(11), 'Flocker'),
  legacy('flexVolume', pvs(12), 'FlexVolume'),
  legacy('azureFile', pvs(13), 'Azure File'),
  legacy('vsphereVolume', pvs(14), 'vSphere'),
  legacy('quobyte', pvs(15), 'Quobyte'),
  legacy('azureDisk', pvs(16), 'Azure Disk'),
  legacy('photonPersistentDisk', pvs(17), 'Photon Controller'),
  legacy('portworxVolume', pvs(18), 'Portworx'),
  legacy('scaleIO', pvs(19), 'ScaleIO'),
  field('local', pvs(20), ref(core('LocalVolumeSource')), 'A disk, partition or directory attached to one node.'),
  legacy('storageos', pvs(21), 'StorageOS'),
  field('csi', pvs(22), ref(core('CSIPersistentVolumeSource')), 'A volume managed by a CSI driver.'),
  field('accessModes', 3, array(string), 'Ways the volume can be mounted.', { listType: 'atomic' }),
  field('claimRef', 4, ref(core('ObjectReference')), 'The claim bound to this volume.'),
  field('persistentVolumeReclaimPolicy', 5, string, 'What happens when the claim is released: Retain, Delete or Recycle.', { enum: ['Retain', 'Delete', 'Recycle'] }),
  field('storageClassName', 6, string, 'StorageClass the volume belongs to.'),
  field('mountOptions', 7, array(string), 'Mount options, e.g. ro or soft.', { listType: 'atomic' }),
  field('volumeMode', 8, string, 'Filesystem or Block.', { enum: ['Filesystem', 'Block'] }),
  field('nodeAffinity', 9, ref(core('VolumeNodeAffinity')), 'Nodes the volume can be reached from.'),
  field('volumeAttributesClassName', 10, string, 'VolumeAttributesClass of the volume.'),
]);

const pvStatus = type(core('PersistentVolumeStatus'), 'Observed state of a persistent volume.', [
  field('phase', 1, string, 'Pending, Available, Bound, Released or Failed.', { enum: ['Pending', 'Available', 'Bound', 'Released', 'Failed'] }),
  field('message', 2, string, 'Why the volume is in this state.'),
  field('reason', 3, string, 'Short CamelCase reason for a failure.'),
  field('lastPhaseTransitionTime', 4, time, 'When the phase last changed.'),
]);

const localVolume = type(core('LocalVolumeSource'), 'Storage directly attached to a node.', [
  field('path', 1, string, 'Full path on the node.', { required: true }),
  field('fsType', 2, string, 'Filesystem type, for block devices.'),
]);

const csiPV = type(core('CSIPersistentVolumeSource'), 'A persistent volume managed by a CSI driver.', [
  field('driver', 1, string, 'Name of the CSI driver.', { required: true }),
  field('volumeHandle', 2, string, 'Driver-specific ID of the volume.', { required: true }),
  field('readOnly', 3, boolean, 'Publish the volume read-only.'),
  field('fsType', 4, string, 'Filesystem type to mount.'),
  field('volumeAttributes', 5, map(string), 'Driver-specific attributes.'),
  field('controllerPublishSecretRef', 6, ref(core('SecretReference')), 'Secret for ControllerPublish and ControllerUnpublish.'),
  field('nodeStageSecretRef', 7, ref(core('SecretReference')), 'Secret for NodeStage and NodeUnstage.'),
  field('nodePublishSecretRef', 8, ref(core('SecretReference')), 'Secret for NodePublish and NodeUnpublish.'),
  field('controllerExpandSecretRef', 9, ref(core('SecretReference')), 'Secret for ControllerExpand.'),
  field('nodeExpandSecretRef', 10, ref(core('SecretReference')), 'Secret for NodeExpand.'),
]);

const volumeNodeAffinity = type(core('VolumeNodeAffinity'), 'Nodes a volume can be used from.', [
  field('required', 1, ref(core('NodeSelector')), 'Node constraints that must hold.'),
]);

export const coreVolumeTypes: readonly TypeDef[] = [
  volume, hostPath, emptyDir, secretVolume, nfs, pvcVolume, downwardAPIVolume, downwardAPIFile, configMapVolume,
  projected, volumeProjection, secretProjection, configMapProjection, downwardAPIProjection, tokenProjection,
  trustBundleProjection, csiVolume, ephemeralVolume, imageVolume, pvcTemplate, pvc, pvcSpec, pvcStatus, pvcCondition,
  modifyVolumeStatus, volumeResources, pv, pvSpec, pvStatus, localVolume, csiPV, volumeNodeAffinity,
];

registerTypes(coreVolumeTypes);
