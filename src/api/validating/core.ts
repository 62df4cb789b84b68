// The remaining core/v1 kinds: Namespace, Node, Endpoints, ServiceAccount,
// Event, ReplicationController, PersistentVolume, PersistentVolumeClaim.

import { isDNS1123Label, isQualifiedName, nameIsDNSLabel, nameIsDNSSubdomain } from '../../machinery/names.ts';
import { parseQuantity } from '../../machinery/quantity.ts';
import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from '../../machinery/status.ts';
import { volumeSources } from '../defaulting/pod-spec.ts';
import type { KubeObject } from '../meta.ts';
import { registerValidator } from '../validation.ts';
import { validateProtocol } from './container.ts';
import { validatePodTemplate } from './pod-spec.ts';
import { isIP } from './service.ts';
import { arr, deepEqual, immutable, inRange, isObj, nonNegative, obj, objs, str, strMap, validateMeta } from './util.ts';

export function validateNamespace(ns: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(ns, old, false, nameIsDNSLabel);
  arr(obj(ns['spec'])['finalizers']).forEach((f, i) => {
    for (const m of isQualifiedName(str(f))) errs.push(fieldInvalid(`spec.finalizers[${i}]`, f, m));
  });
  return errs;
}

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

export function validateNode(node: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(node, old, false, nameIsDNSSubdomain);
  const spec = obj(node['spec']);
  const seen = new Set<string>();
  objs(spec['taints']).forEach((t, i) => {
    const p = `spec.taints[${i}]`;
    const key = str(t['key']);
    if (!key) errs.push(fieldRequired(`${p}.key`));
    else for (const m of isQualifiedName(key)) errs.push(fieldInvalid(`${p}.key`, key, m));
    const effect = str(t['effect']);
    if (!effect) errs.push(fieldRequired(`${p}.effect`));
    else if (!taintEffects.includes(effect as 'NoSchedule')) errs.push(fieldNotSupported(`${p}.effect`, effect, taintEffects));
    const id = `${key}:${effect}`;
    if (seen.has(id)) errs.push(fieldDuplicate(p, t));
    seen.add(id);
  });
  if (old) {
    const oldCIDR = str(obj(old['spec'])['podCIDR']);
    if (oldCIDR && str(spec['podCIDR']) !== oldCIDR) {
      errs.push(fieldForbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    }
  }
  return errs;
}

export function validateEndpoints(ep: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(ep, old, true, nameIsDNSSubdomain);
  objs(ep['subsets']).forEach((s, i) => {
    const p = `subsets[${i}]`;
    for (const list of ['addresses', 'notReadyAddresses'] as const) {
      objs(s[list]).forEach((a, j) => {
        const ip = str(a['ip']);
        if (!isIP(ip)) errs.push(fieldInvalid(`${p}.${list}[${j}].ip`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
      });
    }
    const ports = objs(s['ports']);
    ports.forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      const name = str(port['name']);
      if (name) for (const m of isDNS1123Label(name)) errs.push(fieldInvalid(`${pp}.name`, name, m));
      else if (ports.length > 1) errs.push(fieldRequired(`${pp}.name`));
      errs.push(...inRange(`${pp}.port`, port['port'] ?? 0, 1, 65535));
      errs.push(...validateProtocol(port['protocol'] ?? 'TCP', `${pp}.protocol`));
    });
  });
  return errs;
}

export function validateServiceAccount(sa: KubeObject, old: KubeObject | undefined): FieldError[] {
  return validateMeta(sa, old, true, nameIsDNSSubdomain);
}

/**
 * Events as stored (core/v1). `strict` is set for events.k8s.io requests, which
 * get the newer rules; core/v1 keeps the lenient legacy ones.
 */
export function validateEvent(ev: KubeObject, old: KubeObject | undefined, strict = false): FieldError[] {
  const errs = validateMeta(ev, old, true, nameIsDNSSubdomain);
  const involved = ev['involvedObject'];
  if (!isObj(involved) || Object.keys(involved).length === 0) {
    errs.push(fieldRequired('involvedObject'));
    return errs;
  }
  const ns = str(involved['namespace']);
  const eventNs = str(obj(ev.metadata)['namespace']);
  const reporting = strict ? 'reportingController' : 'reportingComponent';
  if (!ev['eventTime']) {
    // Old clients put events about cluster-scoped objects in "default".
    if (ns ? ns !== eventNs : eventNs !== '' && eventNs !== 'default') {
      errs.push(fieldInvalid('involvedObject.namespace', ns, 'does not match event.namespace'));
    }
  } else {
    if (!ns && eventNs !== 'default' && eventNs !== 'kube-system') errs.push(fieldInvalid('involvedObject.namespace', ns, 'does not match event.namespace'));
    const controller = str(ev['reportingComponent']);
    if (!controller) errs.push(fieldRequired(reporting));
    else for (const m of isQualifiedName(controller)) errs.push(fieldInvalid(reporting, controller, m));
    if (!str(ev['reportingInstance'])) errs.push(fieldRequired('reportingInstance'));
  }
  errs.push(...nonNegative('count', ev['count']));
  if (!strict) return errs;
  if (!ev['eventTime']) errs.push(fieldRequired('eventTime'));
  const type = str(ev['type']);
  if (type !== 'Normal' && type !== 'Warning') errs.push(fieldInvalid('type', '', `has invalid value: ${type}`));
  if (!str(ev['action'])) errs.push(fieldRequired('action'));
  if (!str(ev['reason'])) errs.push(fieldRequired('reason'));
  if (str(ev['message']).length > 1024) errs.push(fieldInvalid('message', '', 'can have at most 1024 characters'));
  return errs;
}

export function validateReplicationController(rc: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(rc, old, true, nameIsDNSSubdomain);
  const spec = obj(rc['spec']);
  errs.push(...nonNegative('spec.replicas', spec['replicas']), ...nonNegative('spec.minReadySeconds', spec['minReadySeconds']));
  const selector = strMap(spec['selector']);
  if (Object.keys(selector).length === 0) errs.push(fieldRequired('spec.selector'));
  const template = spec['template'];
  if (!isObj(template)) {
    errs.push(fieldRequired('spec.template'));
    return errs;
  }
  const labels = strMap(obj(template['metadata'])['labels']);
  if (Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
    errs.push(fieldInvalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplate(template, 'spec.template', ['Always']));
  return errs;
}

const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] as const;
const volumeModes = ['Block', 'Filesystem'] as const;
const reclaimPolicies = ['Delete', 'Recycle', 'Retain'] as const;

function validateAccessModes(modes: unknown, path: string, what: string): FieldError[] {
  const list = arr(modes);
  if (list.length === 0) return [fieldRequired(path, what)];
  return list.flatMap((m) => (accessModes.includes(m as 'ReadWriteOnce') ? [] : [fieldNotSupported(path, m, accessModes)]));
}

function validateStorage(q: unknown, path: string): FieldError[] {
  if (q === undefined || q === null) return [fieldRequired(path)];
  try {
    const parsed = parseQuantity(q as string);
    return parsed.sign() > 0 ? [] : [fieldInvalid(path, parsed.toString(), 'must be greater than zero')];
  } catch (e) {
    return [fieldInvalid(path, q, (e as Error).message)];
  }
}

export function validatePersistentVolume(pv: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(pv, old, false, nameIsDNSSubdomain);
  const spec = obj(pv['spec']);
  errs.push(...validateAccessModes(spec['accessModes'], 'spec.accessModes', ''));
  const capacity = obj(spec['capacity']);
  if (Object.keys(capacity).length === 0) errs.push(fieldRequired('spec.capacity'));
  else errs.push(...validateStorage(capacity['storage'], 'spec.capacity[storage]'));
  const sources = volumeSources.filter((s) => spec[s] !== undefined && spec[s] !== null && s !== 'emptyDir');
  if (sources.length === 0 && spec['local'] === undefined) errs.push(fieldRequired('spec', 'must specify a volume type'));
  const reclaim = spec['persistentVolumeReclaimPolicy'];
  if (reclaim !== undefined && !reclaimPolicies.includes(reclaim as 'Retain')) errs.push(fieldNotSupported('spec.persistentVolumeReclaimPolicy', reclaim, reclaimPolicies));
  const mode = spec['volumeMode'];
  if (mode !== undefined && !volumeModes.includes(mode as 'Block')) errs.push(fieldNotSupported('spec.volumeMode', mode, volumeModes));
  if (old) errs.push(...immutable('spec.volumeMode', spec['volumeMode'], obj(old['spec'])['volumeMode']));
  return errs;
}

const pvcUpdateMessage = 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims';

export function validatePersistentVolumeClaim(pvc: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(pvc, old, true, nameIsDNSSubdomain);
  const spec = obj(pvc['spec']);
  errs.push(...validateAccessModes(spec['accessModes'], 'spec.accessModes', 'at least 1 access mode is required'));
  errs.push(...validateStorage(obj(obj(spec['resources'])['requests'])['storage'], 'spec.resources[storage]'));
  const mode = spec['volumeMode'];
  if (mode !== undefined && !volumeModes.includes(mode as 'Block')) errs.push(fieldNotSupported('spec.volumeMode', mode, volumeModes));
  if (old) {
    const oldSpec = structuredClone(obj(old['spec']));
    // Binding fills volumeName once; resizing changes requests.
    if (!str(oldSpec['volumeName'])) oldSpec['volumeName'] = spec['volumeName'];
    const withoutResources = (s: Record<string, unknown>): Record<string, unknown> => ({ ...s, resources: undefined, volumeAttributesClassName: undefined });
    if (!deepEqual(withoutResources(spec), withoutResources(oldSpec))) errs.push(fieldForbidden('spec', pvcUpdateMessage));
  }
  return errs;
}

registerValidator('Namespace', validateNamespace);
registerValidator('Node', validateNode);
registerValidator('Endpoints', validateEndpoints);
registerValidator('ServiceAccount', validateServiceAccount);
registerValidator('Event', validateEvent);
registerValidator('ReplicationController', validateReplicationController);
registerValidator('PersistentVolume', validatePersistentVolume);
registerValidator('PersistentVolumeClaim', validatePersistentVolumeClaim);
