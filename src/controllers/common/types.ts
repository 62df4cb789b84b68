// The parts of Pod, ReplicaSet, ReplicationController and Deployment the
// workload controllers read and write. Objects travel as KubeObject; these
// types only name the fields we touch.

import type { KubeObject, ObjectMeta } from '../../api/meta.ts';
import type { LabelSelector } from '../../machinery/labels.ts';

export type Condition = {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  reason?: string;
  message?: string;
};

export type PodTemplateSpec = { metadata?: ObjectMeta; spec?: Record<string, unknown> };

export type ContainerStatus = { name: string; ready?: boolean; restartCount?: number };

export type Pod = KubeObject & {
  spec?: { nodeName?: string; [k: string]: unknown };
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    [k: string]: unknown;
  };
};

export type ReplicaSetStatus = {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: Condition[];
};

/** apps/v1 ReplicaSet; a v1 ReplicationController has the same shape but a map selector. */
export type ReplicaSet = KubeObject & {
  spec?: { replicas?: number; minReadySeconds?: number; selector?: LabelSelector | Record<string, string>; template?: PodTemplateSpec };
  status?: ReplicaSetStatus;
};

export type RollingUpdateDeployment = { maxUnavailable?: number | string; maxSurge?: number | string };

export type DeploymentSpec = {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
  strategy?: { type?: 'RollingUpdate' | 'Recreate'; rollingUpdate?: RollingUpdateDeployment };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
};

export type DeploymentStatus = {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Condition[];
  collisionCount?: number;
};

export type Deployment = KubeObject & { spec?: DeploymentSpec; status?: DeploymentStatus };
