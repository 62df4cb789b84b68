// The smaller groups: coordination (Lease), discovery (EndpointSlice),
// events.k8s.io (Event), scheduling (PriorityClass), policy (PDB), storage (StorageClass).

import { isDNS1123Label, isQualifiedName, nameIsDNSSubdomain } from '../../machinery/names.ts';
import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from '../../machinery/status.ts';
import { eventsV1ToCore } from '../conversion/events.ts';
import type { KubeObject } from '../meta.ts';
import { registerValidator } from '../validation.ts';
import { validateProtocol } from './container.ts';
import { validateEvent } from './core.ts';
import { validateIntOrPercent } from './int-or-percent.ts';
import { isIP } from './service.ts';
import { arr, deepEqual, immutable, inRange, nonNegative, obj, objs, str, validateLabelSelector, validateMeta } from './util.ts';

export function validateLease(lease: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(lease, old, true, nameIsDNSSubdomain);
  const spec = obj(lease['spec']);
  const d = spec['leaseDurationSeconds'];
  if (typeof d === 'number' && d <= 0) errs.push(fieldInvalid('spec.leaseDurationSeconds', d, 'must be greater than 0'));
  errs.push(...nonNegative('spec.leaseTransitions', spec['leaseTransitions']));
  return errs;
}

const addressTypes = ['IPv4', 'IPv6', 'FQDN'] as const;

export function validateEndpointSlice(es: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(es, old, true, nameIsDNSSubdomain);
  const type = es['addressType'];
  if (type === undefined || type === '') errs.push(fieldRequired('addressType'));
  else if (!addressTypes.includes(type as 'IPv4')) errs.push(fieldNotSupported('addressType', type, addressTypes));
  objs(es['endpoints']).forEach((e, i) => {
    const p = `endpoints[${i}].addresses`;
    const addrs = arr(e['addresses']);
    if (addrs.length === 0) errs.push(fieldRequired(p, 'must contain at least 1 address'));
    else if (addrs.length > 100) errs.push(fieldInvalid(p, addrs.length, 'must have at most 100 items'));
    addrs.forEach((a, j) => {
      const addr = str(a);
      if (type === 'IPv4' && !(isIP(addr) && !addr.includes(':'))) errs.push(fieldInvalid(`${p}[${j}]`, addr, 'must be a valid IPv4 address'));
      if (type === 'IPv6' && !(isIP(addr) && addr.includes(':'))) errs.push(fieldInvalid(`${p}[${j}]`, addr, 'must be a valid IPv6 address'));
      if (type === 'FQDN') for (const m of isDNS1123Label(addr.split('.')[0] ?? '')) errs.push(fieldInvalid(`${p}[${j}]`, addr, m));
    });
  });
  const names = new Set<string>();
  objs(es['ports']).forEach((port, i) => {
    const p = `ports[${i}]`;
    const name = str(port['name']);
    if (name) for (const m of isDNS1123Label(name)) errs.push(fieldInvalid(`${p}.name`, name, m));
    if (names.has(name)) errs.push(fieldDuplicate(`${p}.name`, name));
    names.add(name);
    if (port['port'] !== undefined && port['port'] !== null) errs.push(...inRange(`${p}.port`, port['port'], 1, 65535));
    errs.push(...validateProtocol(port['protocol'] ?? 'TCP', `${p}.protocol`));
  });
  if (old) errs.push(...immutable('addressType', es['addressType'], old['addressType']));
  return errs;
}

// events.k8s.io names for the core fields their causes point at.
const eventPaths: Record<string, string> = { involvedObject: 'regarding', message: 'note', count: 'deprecatedCount' };

// Callers may hand over either form; only the events.k8s.io one needs converting.
const storedForm = (ev: KubeObject): KubeObject => (ev.apiVersion === 'v1' || ev['involvedObject'] !== undefined ? ev : eventsV1ToCore(ev));

/** Validated in its stored (core/v1) form, reported with the events.k8s.io field names. */
export function validateEventsV1(ev: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateEvent(storedForm(ev), old && storedForm(old), true);
  return errs.map((e) => {
    const head = e.field.split('.')[0] ?? '';
    const renamed = eventPaths[head];
    return renamed ? { ...e, field: renamed + e.field.slice(head.length) } : e;
  });
}

const maxUserPriority = 1_000_000_000;
const systemPriorityClasses = new Set(['system-node-critical', 'system-cluster-critical']);

export function validatePriorityClass(pc: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(pc, old, false, nameIsDNSSubdomain);
  const name = str(obj(pc.metadata)['name']);
  const value = pc['value'];
  if (name.startsWith('system-') && !systemPriorityClasses.has(name)) {
    errs.push(fieldInvalid('metadata.name', name, "priority class names with 'system-' prefix are reserved"));
  }
  if (typeof value === 'number' && value > maxUserPriority && !systemPriorityClasses.has(name)) {
    errs.push(fieldForbidden('value', `maximum allowed value of a user defined priority is ${maxUserPriority}`));
  }
  const policy = pc['preemptionPolicy'];
  if (policy !== undefined && policy !== 'Never' && policy !== 'PreemptLowerPriority') {
    errs.push(fieldNotSupported('preemptionPolicy', policy, ['Never', 'PreemptLowerPriority']));
  }
  if (old) {
    if (value !== old['value']) errs.push(fieldForbidden('value', 'may not be changed in an update.'));
    errs.push(...immutable('preemptionPolicy', pc['preemptionPolicy'], old['preemptionPolicy']));
  }
  return errs;
}

export function validatePodDisruptionBudget(pdb: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(pdb, old, true, nameIsDNSSubdomain);
  const spec = obj(pdb['spec']);
  const has = (f: string): boolean => spec[f] !== undefined && spec[f] !== null;
  if (has('minAvailable') && has('maxUnavailable')) errs.push(fieldInvalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  errs.push(...validateIntOrPercent(spec['minAvailable'], 'spec.minAvailable'));
  errs.push(...validateIntOrPercent(spec['maxUnavailable'], 'spec.maxUnavailable'));
  errs.push(...validateLabelSelector(spec['selector'], 'spec.selector'));
  const policy = spec['unhealthyPodEvictionPolicy'];
  if (policy !== undefined && policy !== 'IfHealthyBudget' && policy !== 'AlwaysAllow') {
    errs.push(fieldNotSupported('spec.unhealthyPodEvictionPolicy', policy, ['IfHealthyBudget', 'AlwaysAllow']));
  }
  return errs;
}

export function validateStorageClass(sc: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(sc, old, false, nameIsDNSSubdomain);
  const provisioner = str(sc['provisioner']);
  if (!provisioner) errs.push(fieldRequired('provisioner'));
  else for (const m of isQualifiedName(provisioner.toLowerCase())) errs.push(fieldInvalid('provisioner', provisioner, m));
  const reclaim = sc['reclaimPolicy'];
  if (reclaim !== undefined && reclaim !== 'Delete' && reclaim !== 'Retain') errs.push(fieldNotSupported('reclaimPolicy', reclaim, ['Delete', 'Retain']));
  const binding = sc['volumeBindingMode'];
  if (binding !== undefined && binding !== 'Immediate' && binding !== 'WaitForFirstConsumer') {
    errs.push(fieldNotSupported('volumeBindingMode', binding, ['Immediate', 'WaitForFirstConsumer']));
  }
  if (old) {
    if (!deepEqual(sc['parameters'] ?? {}, old['parameters'] ?? {})) errs.push(fieldForbidden('parameters', 'updates to parameters are forbidden.'));
    if (sc['provisioner'] !== old['provisioner']) errs.push(fieldForbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (sc['reclaimPolicy'] !== old['reclaimPolicy']) errs.push(fieldForbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    errs.push(...immutable('volumeBindingMode', sc['volumeBindingMode'], old['volumeBindingMode']));
  }
  return errs;
}

registerValidator('Lease.coordination.k8s.io', validateLease);
registerValidator('EndpointSlice.discovery.k8s.io', validateEndpointSlice);
registerValidator('Event.events.k8s.io', validateEventsV1);
registerValidator('PriorityClass.scheduling.k8s.io', validatePriorityClass);
registerValidator('PodDisruptionBudget.policy', validatePodDisruptionBudget);
registerValidator('StorageClass.storage.k8s.io', validateStorageClass);
