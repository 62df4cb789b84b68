// Defaults of the apps/v1 kinds.

import { registerDefaulter } from '../defaults.ts';
import type { KubeObject } from '../meta.ts';
import { defaultPodTemplate } from './pod-spec.ts';
import { child, items, setDefault, type Obj } from './util.ts';

const specOf = (obj: KubeObject): Obj => child(obj as Obj, 'spec');

export function defaultDeployment(obj: KubeObject): void {
  const spec = specOf(obj);
  setDefault(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(child(spec, 'template'));
}

export function defaultReplicaSet(obj: KubeObject): void {
  const spec = specOf(obj);
  setDefault(spec, 'replicas', 1);
  defaultPodTemplate(child(spec, 'template'));
}

export function defaultStatefulSet(obj: KubeObject): void {
  const spec = specOf(obj);
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = child(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') setDefault(child(strategy, 'rollingUpdate'), 'partition', 0);
  setDefault(spec, 'revisionHistoryLimit', 10);
  const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefault(retention, 'whenDeleted', 'Retain');
  setDefault(retention, 'whenScaled', 'Retain');
  for (const claim of items(spec, 'volumeClaimTemplates')) {
    setDefault(child(claim, 'spec'), 'volumeMode', 'Filesystem');
    setDefault(child(claim, 'status'), 'phase', 'Pending');
  }
  defaultPodTemplate(child(spec, 'template'));
}

export function defaultDaemonSet(obj: KubeObject): void {
  const spec = specOf(obj);
  const strategy = child(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy['type'] === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    setDefault(ru, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(child(spec, 'template'));
}

registerDefaulter('Deployment.apps', defaultDeployment);
registerDefaulter('ReplicaSet.apps', defaultReplicaSet);
registerDefaulter('StatefulSet.apps', defaultStatefulSet);
registerDefaulter('DaemonSet.apps', defaultDaemonSet);
