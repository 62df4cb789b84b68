// The core/v1 volume shapes the kubelet reads: pod volumes, container
// volumeMounts, and the PersistentVolume(Claim) fields a node needs to mount.

import type { ObjectMeta } from '../../api/meta.ts';

export type KeyToPath = { key: string; path: string; mode?: number };

export type ConfigMapVolumeSource = { name?: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
export type SecretVolumeSource = { secretName?: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };

export type ObjectFieldSelector = { apiVersion?: string; fieldPath: string };
export type ResourceFieldSelector = { containerName?: string; resource: string; divisor?: string | number };
export type DownwardAPIVolumeFile = { path: string; fieldRef?: ObjectFieldSelector; resourceFieldRef?: ResourceFieldSelector; mode?: number };
export type DownwardAPIVolumeSource = { items?: DownwardAPIVolumeFile[]; defaultMode?: number };

export type ServiceAccountTokenProjection = { audience?: string; expirationSeconds?: number; path: string };
export type VolumeProjection = {
  configMap?: { name?: string; items?: KeyToPath[]; optional?: boolean };
  secret?: { name?: string; items?: KeyToPath[]; optional?: boolean };
  downwardAPI?: { items?: DownwardAPIVolumeFile[] };
  serviceAccountToken?: ServiceAccountTokenProjection;
  clusterTrustBundle?: unknown;
};
export type ProjectedVolumeSource = { sources?: VolumeProjection[]; defaultMode?: number };

export type HostPathType = '' | 'DirectoryOrCreate' | 'Directory' | 'FileOrCreate' | 'File' | 'Socket' | 'CharDevice' | 'BlockDevice';
export type HostPathVolumeSource = { path: string; type?: HostPathType };

export type EmptyDirVolumeSource = { medium?: '' | 'Memory'; sizeLimit?: string | number };

export type PersistentVolumeClaimVolumeSource = { claimName: string; readOnly?: boolean };

export type Volume = {
  name: string;
  emptyDir?: EmptyDirVolumeSource;
  configMap?: ConfigMapVolumeSource;
  secret?: SecretVolumeSource;
  downwardAPI?: DownwardAPIVolumeSource;
  projected?: ProjectedVolumeSource;
  hostPath?: HostPathVolumeSource;
  persistentVolumeClaim?: PersistentVolumeClaimVolumeSource;
  [source: string]: unknown;
};

export type VolumeMount = {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
  subPathExpr?: string;
  mountPropagation?: 'None' | 'HostToContainer' | 'Bidirectional';
};

export type ConfigMap = { apiVersion?: string; kind?: string; metadata: ObjectMeta; data?: Record<string, string>; binaryData?: Record<string, string> };
export type Secret = { apiVersion?: string; kind?: string; metadata: ObjectMeta; type?: string; data?: Record<string, string> };

export type PersistentVolumeClaim = {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { volumeName?: string; accessModes?: string[]; storageClassName?: string };
  status?: { phase?: 'Pending' | 'Bound' | 'Lost' };
};

export type PersistentVolume = {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: { hostPath?: HostPathVolumeSource; local?: { path: string }; claimRef?: { namespace?: string; name?: string; uid?: string } };
  status?: { phase?: string };
};
