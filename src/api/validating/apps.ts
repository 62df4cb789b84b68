// apps/v1 validation: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision.

import { nameIsDNSSubdomain } from '../../machinery/names.ts';
import { fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, FieldErrorType, type FieldError } from '../../machinery/status.ts';
import type { KubeObject } from '../meta.ts';
import { registerValidator } from '../validation.ts';
import { isZero, validateIntOrPercent } from './int-or-percent.ts';
import { validatePodTemplate } from './pod-spec.ts';
import { deepEqual, immutable, isObj, nonNegative, obj, objs, str, validateMeta, validateWorkloadSelector, type Obj } from './util.ts';

const always = ['Always'] as const;

/** Selector, template and the counts every apps workload shares. */
function validateWorkload(o: KubeObject, old: KubeObject | undefined, selectorKind: string): { spec: Obj; errs: FieldError[] } {
  const errs = validateMeta(o, old, true, nameIsDNSSubdomain);
  const spec = obj(o['spec']);
  for (const f of ['replicas', 'minReadySeconds', 'revisionHistoryLimit']) errs.push(...nonNegative(`spec.${f}`, spec[f]));
  const template = obj(spec['template']);
  errs.push(...validateWorkloadSelector(spec['selector'], obj(template['metadata'])['labels'], 'spec.selector', 'spec.template', selectorKind));
  errs.push(...validatePodTemplate(spec['template'], 'spec.template', always));
  if (obj(template['spec'])['activeDeadlineSeconds'] !== undefined) {
    // Deployments are checked as their ReplicaSets are, so they name ReplicaSet.
    const owner = selectorKind === 'deployment' ? 'ReplicaSet' : selectorKind === 'statefulset' ? 'StatefulSet' : 'DaemonSet';
    errs.push(fieldForbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${owner} is not Supported`));
  }
  if (old) errs.push(...immutable('spec.selector', spec['selector'], obj(old['spec'])['selector']));
  return { spec, errs };
}

function validateRollingUpdate(ru: unknown, path: string): FieldError[] {
  if (!isObj(ru)) return [];
  const errs = [...validateIntOrPercent(ru['maxUnavailable'], `${path}.maxUnavailable`), ...validateIntOrPercent(ru['maxSurge'], `${path}.maxSurge`)];
  if (errs.length === 0 && isZero(ru['maxUnavailable']) && isZero(ru['maxSurge'] ?? 0)) {
    errs.push(fieldInvalid(`${path}.maxUnavailable`, ru['maxUnavailable'], 'may not be 0 when `maxSurge` is 0'));
  }
  return errs;
}

export function validateDeployment(d: KubeObject, old: KubeObject | undefined): FieldError[] {
  const { spec, errs } = validateWorkload(d, old, 'deployment');
  const strategy = obj(spec['strategy']);
  const type = strategy['type'];
  if (type === 'Recreate') {
    if (strategy['rollingUpdate'] !== undefined && strategy['rollingUpdate'] !== null) {
      errs.push(fieldForbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
    }
  } else if (type === 'RollingUpdate' || type === undefined) {
    errs.push(...validateRollingUpdate(strategy['rollingUpdate'], 'spec.strategy.rollingUpdate'));
  } else {
    errs.push(fieldNotSupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate']));
  }
  const deadline = spec['progressDeadlineSeconds'];
  if (typeof deadline === 'number') {
    errs.push(...nonNegative('spec.progressDeadlineSeconds', deadline));
    const minReady = typeof spec['minReadySeconds'] === 'number' ? spec['minReadySeconds'] : 0;
    if (deadline >= 0 && deadline <= minReady) errs.push(fieldInvalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  return errs;
}

export function validateReplicaSet(rs: KubeObject, old: KubeObject | undefined): FieldError[] {
  // Kubernetes words the empty-selector error for ReplicaSets as for Deployments.
  return validateWorkload(rs, old, 'deployment').errs;
}

const statefulSetUpdateMessage =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

export function validateStatefulSet(s: KubeObject, old: KubeObject | undefined): FieldError[] {
  const { spec, errs: all } = validateWorkload(s, old, 'statefulset');
  // Containers mount the volumeClaimTemplates by name: those are volumes of the pods too.
  const claims = new Set(objs(spec['volumeClaimTemplates']).map((t) => str(obj(t['metadata'])['name'])));
  const errs = all.filter((e) => !(e.type === FieldErrorType.NotFound && /\.volumeMounts\[\d+\]\.name$/.test(e.field) && claims.has(String(e.value))));
  const policy = spec['podManagementPolicy'];
  if (policy === undefined || policy === '') errs.push(fieldRequired('spec.podManagementPolicy', "valid values are 'OrderedReady' and 'Parallel'"));
  else if (policy !== 'OrderedReady' && policy !== 'Parallel') errs.push(fieldNotSupported('spec.podManagementPolicy', policy, ['OrderedReady', 'Parallel']));
  const strategy = obj(spec['updateStrategy']);
  const type = strategy['type'];
  if (type === 'OnDelete') {
    if (strategy['rollingUpdate'] !== undefined && strategy['rollingUpdate'] !== null) {
      errs.push(fieldInvalid('spec.updateStrategy.rollingUpdate', strategy['rollingUpdate'], "only allowed for updateStrategy 'RollingUpdate'"));
    }
  } else if (type === 'RollingUpdate' || type === undefined) {
    errs.push(...nonNegative('spec.updateStrategy.rollingUpdate.partition', obj(strategy['rollingUpdate'])['partition']));
  } else {
    errs.push(fieldNotSupported('spec.updateStrategy.type', type, ['OnDelete', 'RollingUpdate']));
  }
  const retention = obj(spec['persistentVolumeClaimRetentionPolicy']);
  for (const f of ['whenDeleted', 'whenScaled']) {
    const v = retention[f];
    if (v !== undefined && v !== 'Retain' && v !== 'Delete') errs.push(fieldNotSupported(`spec.persistentVolumeClaimRetentionPolicy.${f}`, v, ['Retain', 'Delete']));
  }
  const ordinals = obj(spec['ordinals']);
  errs.push(...nonNegative('spec.ordinals.start', ordinals['start']));
  if (old) {
    const mutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
    const strip = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([k]) => !mutable.includes(k)));
    if (!deepEqual(strip(spec), strip(obj(old['spec'])))) errs.push(fieldForbidden('spec', statefulSetUpdateMessage));
  }
  return errs;
}

export function validateDaemonSet(ds: KubeObject, old: KubeObject | undefined): FieldError[] {
  const { spec, errs } = validateWorkload(ds, old, 'daemonset');
  const strategy = obj(spec['updateStrategy']);
  const type = strategy['type'];
  if (type === 'RollingUpdate' || type === undefined) errs.push(...validateRollingUpdate(strategy['rollingUpdate'], 'spec.updateStrategy.rollingUpdate'));
  else if (type !== 'OnDelete') errs.push(fieldNotSupported('spec.updateStrategy.type', type, ['OnDelete', 'RollingUpdate']));
  return errs;
}

export function validateControllerRevision(cr: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(cr, old, true, nameIsDNSSubdomain);
  if (cr['data'] === undefined || cr['data'] === null) errs.push(fieldRequired('data', 'data is mandatory'));
  errs.push(...nonNegative('revision', cr['revision']));
  if (old) errs.push(...immutable('data', cr['data'], old['data']));
  return errs;
}

registerValidator('Deployment.apps', validateDeployment);
registerValidator('ReplicaSet.apps', validateReplicaSet);
registerValidator('StatefulSet.apps', validateStatefulSet);
registerValidator('DaemonSet.apps', validateDaemonSet);
registerValidator('ControllerRevision.apps', validateControllerRevision);
