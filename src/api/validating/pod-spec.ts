// ValidatePodSpec and ValidatePodTemplateSpec: what every pod and every
// workload's template must satisfy.

import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, validateAnnotations, validateLabels } from '../../machinery/names.ts';
import { fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, fieldDuplicate, type FieldError } from '../../machinery/status.ts';
import { isQuantity } from '../../machinery/quantity.ts';
import { volumeSources } from '../defaulting/pod-spec.ts';
import { validateContainer, validateResources } from './container.ts';
import { inRange, isObj, nonNegative, obj, objs, str, strMap, type Obj } from './util.ts';

export const restartPolicies = ['Always', 'OnFailure', 'Never'] as const;
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;

export function validatePodSpec(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const volumes = new Set<string>();
  errs.push(...validateVolumes(spec['volumes'], `${path}.volumes`, volumes));
  const names = new Set<string>();
  objs(spec['initContainers']).forEach((c, i) => errs.push(...validateContainer(c, `${path}.initContainers[${i}]`, volumes, names, true)));
  const containers = objs(spec['containers']);
  if (containers.length === 0) errs.push(fieldRequired(`${path}.containers`));
  containers.forEach((c, i) => errs.push(...validateContainer(c, `${path}.containers[${i}]`, volumes, names)));

  const rp = spec['restartPolicy'];
  if (rp !== undefined && !restartPolicies.includes(rp as 'Always')) errs.push(fieldNotSupported(`${path}.restartPolicy`, rp, restartPolicies));
  const dns = spec['dnsPolicy'];
  if (dns !== undefined && !dnsPolicies.includes(dns as 'Default')) errs.push(fieldNotSupported(`${path}.dnsPolicy`, dns, dnsPolicies));
  if (dns === 'None' && !isObj(spec['dnsConfig'])) errs.push(fieldRequired(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  errs.push(...nonNegative(`${path}.terminationGracePeriodSeconds`, spec['terminationGracePeriodSeconds']));
  if (spec['activeDeadlineSeconds'] !== undefined) errs.push(...inRange(`${path}.activeDeadlineSeconds`, spec['activeDeadlineSeconds'], 1, 2147483647));
  errs.push(...validateLabels(strMap(spec['nodeSelector']), `${path}.nodeSelector`));
  for (const f of ['serviceAccountName', 'nodeName'] as const) {
    const v = str(spec[f]);
    if (v) for (const m of isDNS1123Subdomain(v)) errs.push(fieldInvalid(`${path}.${f}`, v, m));
  }
  for (const f of ['hostname', 'subdomain'] as const) {
    const v = str(spec[f]);
    if (v) for (const m of isDNS1123Label(v)) errs.push(fieldInvalid(`${path}.${f}`, v, m));
  }
  errs.push(...validateTolerations(spec['tolerations'], `${path}.tolerations`));
  if (spec['overhead'] !== undefined) errs.push(...validateResources({ limits: spec['overhead'] }, `${path}.overhead`));
  objs(spec['imagePullSecrets']).forEach((s, i) => {
    if (!str(s['name'])) errs.push(fieldRequired(`${path}.imagePullSecrets[${i}].name`));
  });
  return errs;
}

function validateVolumes(volumes: unknown, path: string, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  objs(volumes).forEach((v, i) => {
    const p = `${path}[${i}]`;
    const name = str(v['name']);
    if (!name) errs.push(fieldRequired(`${p}.name`));
    else if (names.has(name)) errs.push(fieldDuplicate(`${p}.name`, name));
    else for (const m of isDNS1123Label(name)) errs.push(fieldInvalid(`${p}.name`, name, m));
    names.add(name);
    const set = volumeSources.filter((s) => v[s] !== undefined && v[s] !== null);
    if (set.length === 0) errs.push(fieldRequired(p, 'must specify a volume type'));
    for (const extra of set.slice(1)) errs.push(fieldForbidden(`${p}.${extra}`, 'may not specify more than 1 volume type'));
    errs.push(...validateVolumeSource(v, p));
  });
  return errs;
}

function validateVolumeSource(v: Obj, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const required = (src: string, field: string): void => {
    if (isObj(v[src]) && !str(v[src][field])) errs.push(fieldRequired(`${p}.${src}.${field}`));
  };
  required('hostPath', 'path');
  required('secret', 'secretName');
  required('configMap', 'name');
  required('persistentVolumeClaim', 'claimName');
  required('nfs', 'server');
  required('nfs', 'path');
  for (const src of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const mode = isObj(v[src]) ? v[src]['defaultMode'] : undefined;
    if (typeof mode === 'number' && (mode < 0 || mode > 0o777)) {
      errs.push(fieldInvalid(`${p}.${src}.defaultMode`, mode, 'must be a number between 0 and 0777 (octal), both inclusive'));
    }
  }
  const hostPathType = isObj(v['hostPath']) ? v['hostPath']['type'] : undefined;
  const hostPathTypes = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];
  if (hostPathType !== undefined && !hostPathTypes.includes(hostPathType as string)) {
    errs.push(fieldNotSupported(`${p}.hostPath.type`, hostPathType, hostPathTypes));
  }
  const emptyDir = v['emptyDir'];
  if (isObj(emptyDir) && emptyDir['sizeLimit'] !== undefined && !isQuantity(emptyDir['sizeLimit'])) {
    errs.push(fieldInvalid(`${p}.emptyDir.sizeLimit`, emptyDir['sizeLimit'], 'must be a valid quantity'));
  }
  return errs;
}

const tolerationOperators = ['Equal', 'Exists'] as const;
const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objs(tolerations).forEach((t, i) => {
    const p = `${path}[${i}]`;
    const key = str(t['key']);
    const op = str(t['operator']) || 'Equal';
    if (key) for (const m of isQualifiedName(key)) errs.push(fieldInvalid(`${p}.key`, key, m));
    if (!key && op !== 'Exists') {
      errs.push(fieldInvalid(`${p}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (!tolerationOperators.includes(op as 'Equal')) errs.push(fieldNotSupported(`${p}.operator`, op, tolerationOperators));
    if (op === 'Exists' && str(t['value'])) errs.push(fieldInvalid(`${p}.operator`, t['value'], "value must be empty when `operator` is 'Exists'"));
    const effect = str(t['effect']);
    if (effect && !taintEffects.includes(effect as 'NoSchedule')) errs.push(fieldNotSupported(`${p}.effect`, effect, taintEffects));
    if (t['tolerationSeconds'] !== undefined && t['tolerationSeconds'] !== null && effect !== 'NoExecute') {
      errs.push(fieldInvalid(`${p}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
  });
  return errs;
}

/** A workload's template: labels, annotations and a valid pod spec; `allowedRestart` narrows restartPolicy. */
export function validatePodTemplate(template: unknown, path: string, allowedRestart: readonly string[] = restartPolicies): FieldError[] {
  if (!isObj(template)) return [fieldRequired(path)];
  const meta = obj(template['metadata']);
  const errs = [
    ...validateLabels(strMap(meta['labels']), `${path}.metadata.labels`),
    ...validateAnnotations(strMap(meta['annotations']), `${path}.metadata.annotations`),
  ];
  const spec = obj(template['spec']);
  errs.push(...validatePodSpec(spec, `${path}.spec`));
  const rp = spec['restartPolicy'];
  if (rp !== undefined && restartPolicies.includes(rp as 'Always') && !allowedRestart.includes(rp as string)) {
    errs.push(fieldNotSupported(`${path}.spec.restartPolicy`, rp, allowedRestart));
  }
  return errs;
}
