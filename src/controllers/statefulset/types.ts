// The parts of apps/v1 StatefulSet and core/v1 PersistentVolumeClaim the StatefulSet controller touches.

import type { KubeObject, ObjectMeta } from '../../api/meta.ts';
import type { LabelSelector } from '../../machinery/labels.ts';
import type { Condition, PodTemplateSpec } from '../common/types.ts';

export type StatefulSetSpec = {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
  serviceName?: string;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
  revisionHistoryLimit?: number;
  minReadySeconds?: number;
  volumeClaimTemplates?: { metadata?: ObjectMeta; spec?: Record<string, unknown> }[];
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: 'Retain' | 'Delete'; whenScaled?: 'Retain' | 'Delete' };
  ordinals?: { start?: number };
};

export type StatefulSetStatus = {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  conditions?: Condition[];
};

export type StatefulSet = KubeObject & { spec?: StatefulSetSpec; status?: StatefulSetStatus };

export type PersistentVolumeClaim = KubeObject & { spec?: Record<string, unknown> };

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
