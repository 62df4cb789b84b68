// The parts of apps/v1 DaemonSet and core/v1 Node the DaemonSet controller reads and writes.

import type { KubeObject } from '../../api/meta.ts';
import type { LabelSelector } from '../../machinery/labels.ts';
import type { Condition, PodTemplateSpec } from '../common/types.ts';

export type DaemonSetSpec = {
  selector?: LabelSelector;
  template?: PodTemplateSpec;
  updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
};

export type DaemonSetStatus = {
  currentNumberScheduled?: number;
  numberMisscheduled?: number;
  desiredNumberScheduled?: number;
  numberReady?: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
  conditions?: Condition[];
};

export type DaemonSet = KubeObject & { spec?: DaemonSetSpec; status?: DaemonSetStatus };

export type Taint = { key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' };
export type Toleration = { key?: string; operator?: 'Exists' | 'Equal'; value?: string; effect?: string; tolerationSeconds?: number };

export type Node = KubeObject & { spec?: { taints?: Taint[]; unschedulable?: boolean }; status?: Record<string, unknown> };

export type NodeSelectorRequirement = { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt'; values?: string[] };
export type NodeSelectorTerm = { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] };
