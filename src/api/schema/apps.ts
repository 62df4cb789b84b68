// apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision.
// Proto tags follow k8s.io/api/apps/v1/generated.proto (v1.32).

import { array, boolean, core, field, gvk, int32, int64, intOrString, keyedList, meta, rawExtension, ref, string, time, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { FieldDef, TypeDef } from './types.ts';

const apps = (name: string): string => `io.k8s.api.apps.v1.${name}`;

/** apiVersion, kind (carried by the protobuf envelope, hence tag 0) and metadata. */
function head(what: string): FieldDef[] {
  return [
    field('apiVersion', 0, string, 'Versioned schema of this representation of the object.'),
    field('kind', 0, string, 'REST resource this object represents.'),
    field('metadata', 1, ref(meta('ObjectMeta')), `Standard metadata of the ${what}.`),
  ];
}

/** The condition shape shared by the apps kinds, minus lastUpdateTime which only Deployment has. */
function condition(owner: string): TypeDef {
  return type(apps(`${owner}Condition`), `One observed aspect of a ${owner}'s state.`, [
    field('type', 1, string, 'Kind of condition.', { required: true }),
    field('status', 2, string, 'Whether the condition holds: True, False or Unknown.', { required: true }),
    field('lastTransitionTime', 3, time, 'When the condition last changed status.'),
    field('reason', 4, string, 'Machine-readable cause of the last transition.'),
    field('message', 5, string, 'Human-readable details about the last transition.'),
  ]);
}

const conditions = (owner: string, tag: number): FieldDef =>
  keyedList('conditions', tag, apps(`${owner}Condition`), 'type', `Latest observations of the ${owner}'s state.`);

const selector = (tag: number, what: string): FieldDef =>
  field('selector', tag, ref(meta('LabelSelector')), `Label query selecting the pods managed by this ${what}; must match the template labels.`, { required: true });

const template = (tag: number, required: boolean): FieldDef =>
  field('template', tag, ref(core('PodTemplateSpec')), 'Pod template stamped out for each replica.', required ? { required: true } : undefined);

export const appsTypes: readonly TypeDef[] = [
  // Deployment
  type(apps('Deployment'), 'Declarative rollout of pods through ReplicaSets.', [
    ...head('deployment'),
    field('spec', 2, ref(apps('DeploymentSpec')), 'Desired state of the deployment.'),
    field('status', 3, ref(apps('DeploymentStatus')), 'Most recently observed state of the deployment.'),
  ], { gvk: gvk('apps', 'v1', 'Deployment') }),
  type(apps('DeploymentSpec'), 'Desired behaviour of a deployment.', [
    field('replicas', 1, int32, 'Number of pods wanted; defaults to 1.'),
    selector(2, 'deployment'),
    template(3, true),
    field('strategy', 4, ref(apps('DeploymentStrategy')), 'How old pods are replaced with new ones.', { patchStrategy: 'retainKeys' }),
    field('minReadySeconds', 5, int32, 'Seconds a new pod must stay ready before it counts as available.'),
    field('revisionHistoryLimit', 6, int32, 'How many old ReplicaSets to keep for rollback; defaults to 10.'),
    field('paused', 7, boolean, 'Stops the controller from rolling out template changes.'),
    field('progressDeadlineSeconds', 9, int32, 'Seconds without progress after which the rollout is reported as failed; defaults to 600.'),
  ]),
  type(apps('DeploymentStrategy'), 'How a deployment replaces its pods.', [
    field('type', 1, string, 'Recreate or RollingUpdate (the default).', { enum: ['Recreate', 'RollingUpdate'] }),
    field('rollingUpdate', 2, ref(apps('RollingUpdateDeployment')), 'Rolling update parameters, used when type is RollingUpdate.'),
  ]),
  type(apps('RollingUpdateDeployment'), 'Limits that pace a rolling update.', [
    field('maxUnavailable', 1, intOrString, 'Pods (count or percentage) that may be unavailable during the update; defaults to 25%.'),
    field('maxSurge', 2, intOrString, 'Pods (count or percentage) that may exist above the desired count; defaults to 25%.'),
  ]),
  type(apps('DeploymentStatus'), 'Observed state of a deployment.', [
    field('observedGeneration', 1, int64, 'Generation last acted upon by the controller.'),
    field('replicas', 2, int32, 'Non-terminating pods targeted by the deployment.'),
    field('updatedReplicas', 3, int32, 'Non-terminating pods running the current template.'),
    field('readyReplicas', 7, int32, 'Non-terminating pods with a Ready condition.'),
    field('availableReplicas', 4, int32, 'Pods ready for at least minReadySeconds.'),
    field('unavailableReplicas', 5, int32, 'Pods still needed to reach full availability.'),
    conditions('Deployment', 6),
    field('collisionCount', 8, int32, 'Hash collisions seen when naming new ReplicaSets.'),
  ]),
  type(apps('DeploymentCondition'), "One observed aspect of a Deployment's state.", [
    field('type', 1, string, 'Kind of condition.', { required: true }),
    field('status', 2, string, 'Whether the condition holds: True, False or Unknown.', { required: true }),
    field('lastUpdateTime', 6, time, 'When the condition was last refreshed.'),
    field('lastTransitionTime', 7, time, 'When the condition last changed status.'),
    field('reason', 4, string, 'Machine-readable cause of the last transition.'),
    field('message', 5, string, 'Human-readable details about the last transition.'),
  ]),

  // ReplicaSet
  type(apps('ReplicaSet'), 'Keeps a stable number of identical pods running.', [
    ...head('replica set'),
    field('spec', 2, ref(apps('ReplicaSetSpec')), 'Desired state of the replica set.'),
    field('status', 3, ref(apps('ReplicaSetStatus')), 'Most recently observed state of the replica set.'),
  ], { gvk: gvk('apps', 'v1', 'ReplicaSet') }),
  type(apps('ReplicaSetSpec'), 'Desired behaviour of a replica set.', [
    field('replicas', 1, int32, 'Number of pods wanted; defaults to 1.'),
    field('minReadySeconds', 4, int32, 'Seconds a new pod must stay ready before it counts as available.'),
    selector(2, 'replica set'),
    template(3, false),
  ]),
  type(apps('ReplicaSetStatus'), 'Observed state of a replica set.', [
    field('replicas', 1, int32, 'Non-terminating pods currently owned.', { required: true }),
    field('fullyLabeledReplicas', 2, int32, 'Non-terminating pods carrying all template labels.'),
    field('readyReplicas', 4, int32, 'Non-terminating pods with a Ready condition.'),
    field('availableReplicas', 5, int32, 'Pods ready for at least minReadySeconds.'),
    field('observedGeneration', 3, int64, 'Generation last acted upon by the controller.'),
    conditions('ReplicaSet', 6),
  ]),
  condition('ReplicaSet'),

  // StatefulSet
  type(apps('StatefulSet'), 'Pods with stable names and storage, created and updated in order.', [
    ...head('stateful set'),
    field('spec', 2, ref(apps('StatefulSetSpec')), 'Desired state of the stateful set.'),
    field('status', 3, ref(apps('StatefulSetStatus')), 'Most recently observed state of the stateful set.'),
  ], { gvk: gvk('apps', 'v1', 'StatefulSet') }),
  type(apps('StatefulSetSpec'), 'Desired behaviour of a stateful set.', [
    field('replicas', 1, int32, 'Number of pods wanted; defaults to 1.'),
    selector(2, 'stateful set'),
    template(3, true),
    field('volumeClaimTemplates', 4, array(ref(core('PersistentVolumeClaim'))), 'Claims created once per pod and mounted by name.', { listType: 'atomic' }),
    field('serviceName', 5, string, 'Headless service that gives the pods their DNS names.'),
    field('podManagementPolicy', 6, string, 'OrderedReady (default) creates pods one by one; Parallel creates them all at once.', { enum: ['OrderedReady', 'Parallel'] }),
    field('updateStrategy', 7, ref(apps('StatefulSetUpdateStrategy')), 'How pods are replaced when the template changes.'),
    field('revisionHistoryLimit', 8, int32, 'How many old revisions to keep; defaults to 10.'),
    field('minReadySeconds', 9, int32, 'Seconds a new pod must stay ready before it counts as available.'),
    field('persistentVolumeClaimRetentionPolicy', 10, ref(apps('StatefulSetPersistentVolumeClaimRetentionPolicy')), 'What happens to claims from volumeClaimTemplates on delete and scale-down.'),
    field('ordinals', 11, ref(apps('StatefulSetOrdinals')), 'How replica indices are numbered.'),
  ]),
  type(apps('StatefulSetUpdateStrategy'), 'How a stateful set updates its pods.', [
    field('type', 1, string, 'RollingUpdate (default) or OnDelete.', { enum: ['OnDelete', 'RollingUpdate'] }),
    field('rollingUpdate', 2, ref(apps('RollingUpdateStatefulSetStrategy')), 'Rolling update parameters, used when type is RollingUpdate.'),
  ]),
  type(apps('RollingUpdateStatefulSetStrategy'), 'Parameters of a stateful set rolling update.', [
    field('partition', 1, int32, 'Only pods with an ordinal at or above this are updated.'),
    field('maxUnavailable', 2, intOrString, 'Pods (count or percentage) that may be unavailable during the update.'),
  ]),
  type(apps('StatefulSetPersistentVolumeClaimRetentionPolicy'), 'Lifecycle of claims created from volume claim templates.', [
    field('whenDeleted', 1, string, 'Retain (default) or Delete the claims when the set is deleted.', { enum: ['Delete', 'Retain'] }),
    field('whenScaled', 2, string, 'Retain (default) or Delete the claims of pods removed by a scale-down.', { enum: ['Delete', 'Retain'] }),
  ]),
  type(apps('StatefulSetOrdinals'), 'Numbering of replica indices.', [
    field('start', 1, int32, 'Index of the first replica; defaults to 0.'),
  ]),
  type(apps('StatefulSetStatus'), 'Observed state of a stateful set.', [
    field('observedGeneration', 1, int64, 'Generation last acted upon by the controller.'),
    field('replicas', 2, int32, 'Pods created by the controller.', { required: true }),
    field('readyReplicas', 3, int32, 'Pods with a Ready condition.'),
    field('currentReplicas', 4, int32, 'Pods running the currentRevision.'),
    field('updatedReplicas', 5, int32, 'Pods running the updateRevision.'),
    field('currentRevision', 6, string, 'Revision of the pods in [0, currentReplicas).'),
    field('updateRevision', 7, string, 'Revision the set is updating its pods to.'),
    field('collisionCount', 9, int32, 'Hash collisions seen when naming new ControllerRevisions.'),
    conditions('StatefulSet', 10),
    field('availableReplicas', 11, int32, 'Pods ready for at least minReadySeconds.'),
  ]),
  condition('StatefulSet'),

  // DaemonSet
  type(apps('DaemonSet'), 'Runs one copy of a pod on every eligible node.', [
    ...head('daemon set'),
    field('spec', 2, ref(apps('DaemonSetSpec')), 'Desired state of the daemon set.'),
    field('status', 3, ref(apps('DaemonSetStatus')), 'Most recently observed state of the daemon set.'),
  ], { gvk: gvk('apps', 'v1', 'DaemonSet') }),
  type(apps('DaemonSetSpec'), 'Desired behaviour of a daemon set.', [
    selector(1, 'daemon set'),
    template(2, true),
    field('updateStrategy', 3, ref(apps('DaemonSetUpdateStrategy')), 'How pods are replaced when the template changes.'),
    field('minReadySeconds', 4, int32, 'Seconds a new pod must stay ready before it counts as available.'),
    field('revisionHistoryLimit', 6, int32, 'How many old revisions to keep; defaults to 10.'),
  ]),
  type(apps('DaemonSetUpdateStrategy'), 'How a daemon set updates its pods.', [
    field('type', 1, string, 'RollingUpdate (default) or OnDelete.', { enum: ['OnDelete', 'RollingUpdate'] }),
    field('rollingUpdate', 2, ref(apps('RollingUpdateDaemonSet')), 'Rolling update parameters, used when type is RollingUpdate.'),
  ]),
  type(apps('RollingUpdateDaemonSet'), 'Limits that pace a daemon set rolling update.', [
    field('maxUnavailable', 1, intOrString, 'Nodes (count or percentage) whose pod may be down during the update; defaults to 1.'),
    field('maxSurge', 2, intOrString, 'Nodes (count or percentage) that may run an extra new pod during the update; defaults to 0.'),
  ]),
  type(apps('DaemonSetStatus'), 'Observed state of a daemon set.', [
    field('currentNumberScheduled', 1, int32, 'Nodes running the pod that should run it.', { required: true }),
    field('numberMisscheduled', 2, int32, 'Nodes running the pod that should not.', { required: true }),
    field('desiredNumberScheduled', 3, int32, 'Nodes that should run the pod.', { required: true }),
    field('numberReady', 4, int32, 'Nodes whose pod has a Ready condition.', { required: true }),
    field('observedGeneration', 5, int64, 'Generation last acted upon by the controller.'),
    field('updatedNumberScheduled', 6, int32, 'Nodes running the current template.'),
    field('numberAvailable', 7, int32, 'Nodes whose pod has been ready for minReadySeconds.'),
    field('numberUnavailable', 8, int32, 'Nodes that should run an available pod and do not.'),
    field('collisionCount', 9, int32, 'Hash collisions seen when naming new ControllerRevisions.'),
    conditions('DaemonSet', 10),
  ]),
  condition('DaemonSet'),

  // ControllerRevision
  type(apps('ControllerRevision'), 'Immutable snapshot of state kept by a controller for rollback.', [
    ...head('controller revision'),
    field('data', 2, rawExtension, 'The serialized state.'),
    field('revision', 3, int64, 'Revision number of the state held in data.', { required: true }),
  ], { gvk: gvk('apps', 'v1', 'ControllerRevision') }),
];

registerTypes(appsTypes);
