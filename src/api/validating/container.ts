// Container validation (part of ValidatePodSpec): names, images, ports, env,
// mounts, resources and probes.

import { isDNS1123Label, isQualifiedName, isValidPortName, isValidPortNum } from '../../machinery/names.ts';
import { parseQuantity, type Quantity } from '../../machinery/quantity.ts';
import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotFound, fieldNotSupported, fieldRequired, type FieldError } from '../../machinery/status.ts';
import { arr, isObj, nonNegative, obj, objs, str, type Obj } from './util.ts';

export const protocols = ['SCTP', 'TCP', 'UDP'] as const;
const pullPolicies = ['Always', 'IfNotPresent', 'Never'] as const;
const messagePolicies = ['File', 'FallbackToLogsOnError'] as const;
const standardResources = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage', 'pods']);

/** `seenNames` spans init and app containers: names are unique in the whole pod. */
export function validateContainer(c: Obj, path: string, volumes: ReadonlySet<string>, seenNames: Set<string>, initContainer = false): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c['name']);
  if (!name) errs.push(fieldRequired(`${path}.name`));
  else if (seenNames.has(name)) errs.push(fieldDuplicate(`${path}.name`, name));
  else for (const m of isDNS1123Label(name)) errs.push(fieldInvalid(`${path}.name`, name, m));
  seenNames.add(name);
  if (!str(c['image']).trim()) errs.push(fieldRequired(`${path}.image`));
  const pull = c['imagePullPolicy'];
  if (pull !== undefined && !pullPolicies.includes(pull as 'Always')) errs.push(fieldNotSupported(`${path}.imagePullPolicy`, pull, pullPolicies));
  const tmp = c['terminationMessagePolicy'];
  if (tmp !== undefined && !messagePolicies.includes(tmp as 'File')) errs.push(fieldNotSupported(`${path}.terminationMessagePolicy`, tmp, messagePolicies));
  errs.push(...validatePorts(c['ports'], `${path}.ports`));
  errs.push(...validateEnv(c['env'], `${path}.env`));
  errs.push(...validateMounts(c['volumeMounts'], `${path}.volumeMounts`, volumes));
  errs.push(...validateResources(c['resources'], `${path}.resources`));
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    if (c[probe] === undefined || c[probe] === null) continue;
    if (initContainer && c['restartPolicy'] !== 'Always') {
      errs.push(fieldForbidden(`${path}.${probe}`, `may not be set for init containers without restartPolicy=Always`));
      continue;
    }
    errs.push(...validateProbe(obj(c[probe]), `${path}.${probe}`, probe !== 'readinessProbe'));
  }
  return errs;
}

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objs(ports).forEach((p, i) => {
    const pp = `${path}[${i}]`;
    const name = p['name'];
    if (typeof name === 'string' && name !== '') {
      for (const m of isValidPortName(name)) errs.push(fieldInvalid(`${pp}.name`, name, m));
      if (names.has(name)) errs.push(fieldDuplicate(`${pp}.name`, name));
      names.add(name);
    }
    if (p['containerPort'] === undefined || p['containerPort'] === 0) errs.push(fieldRequired(`${pp}.containerPort`));
    else for (const m of isValidPortNum(p['containerPort'])) errs.push(fieldInvalid(`${pp}.containerPort`, p['containerPort'], m));
    if (p['hostPort'] !== undefined && p['hostPort'] !== 0) for (const m of isValidPortNum(p['hostPort'])) errs.push(fieldInvalid(`${pp}.hostPort`, p['hostPort'], m));
    errs.push(...validateProtocol(p['protocol'], `${pp}.protocol`));
  });
  return errs;
}

export function validateProtocol(protocol: unknown, path: string): FieldError[] {
  if (protocol === undefined || protocol === '') return [fieldRequired(path)];
  return protocols.includes(protocol as 'TCP') ? [] : [fieldNotSupported(path, protocol, protocols)];
}

// RelaxedEnvironmentVariableValidation (on by default since 1.32).
const envNameMsg = "a valid environment variable name must consist only of printable ASCII characters other than '='";

function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objs(env).forEach((e, i) => {
    const p = `${path}[${i}]`;
    const name = str(e['name']);
    if (!name) errs.push(fieldRequired(`${p}.name`));
    else if (!/^[ -<>-~]+$/.test(name)) errs.push(fieldInvalid(`${p}.name`, name, envNameMsg));
    if (e['valueFrom'] === undefined || e['valueFrom'] === null) return;
    const from = obj(e['valueFrom']);
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => from[k] !== undefined && from[k] !== null);
    if (sources.length === 0) errs.push(fieldInvalid(`${p}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (sources.length > 1) errs.push(fieldInvalid(`${p}.valueFrom`, '', 'may not have more than one field specified at a time'));
    if (str(e['value']) !== '') errs.push(fieldInvalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
    for (const ref of ['configMapKeyRef', 'secretKeyRef']) {
      if (!isObj(from[ref])) continue;
      if (!str(from[ref]['key'])) errs.push(fieldRequired(`${p}.valueFrom.${ref}.key`));
    }
    if (isObj(from['fieldRef']) && !str(from['fieldRef']['fieldPath'])) errs.push(fieldRequired(`${p}.valueFrom.fieldRef.fieldPath`));
  });
  return errs;
}

function validateMounts(mounts: unknown, path: string, volumes: ReadonlySet<string>): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  objs(mounts).forEach((m, i) => {
    const p = `${path}[${i}]`;
    const name = str(m['name']);
    if (!name) errs.push(fieldRequired(`${p}.name`));
    // Kubernetes reports this as `Not found`, which our FieldError types lack.
    else if (!volumes.has(name)) errs.push(fieldNotFound(`${p}.name`, name));
    const mountPath = str(m['mountPath']);
    if (!mountPath) errs.push(fieldRequired(`${p}.mountPath`));
    else if (paths.has(mountPath)) errs.push(fieldInvalid(`${p}.mountPath`, mountPath, 'must be unique'));
    paths.add(mountPath);
    if (str(m['subPath']).split('/').includes('..')) errs.push(fieldInvalid(`${p}.subPath`, m['subPath'], "must not contain '..'"));
    if (str(m['subPath']).startsWith('/')) errs.push(fieldInvalid(`${p}.subPath`, m['subPath'], 'must be a relative path'));
  });
  return errs;
}

/** Each quantity parses and is not negative; requests are at most their limits. */
export function validateResources(resources: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const r = obj(resources);
  const parsed: Record<'limits' | 'requests', Map<string, Quantity>> = { limits: new Map(), requests: new Map() };
  for (const which of ['limits', 'requests'] as const) {
    for (const [name, v] of Object.entries(obj(r[which]))) {
      const p = `${path}.${which}[${name}]`;
      if (!standardResources.has(name) && !name.startsWith('hugepages-') && !name.includes('/')) {
        errs.push(fieldInvalid(p, name, 'must be a standard resource type or fully qualified'));
      } else if (name.includes('/')) {
        for (const m of isQualifiedName(name)) errs.push(fieldInvalid(p, name, m));
      }
      let q: Quantity;
      try {
        q = parseQuantity(v as string);
      } catch (e) {
        errs.push(fieldInvalid(p, v, (e as Error).message));
        continue;
      }
      if (q.sign() < 0) errs.push(fieldInvalid(p, q.toString(), 'must be greater than or equal to 0'));
      parsed[which].set(name, q);
    }
  }
  for (const [name, req] of parsed.requests) {
    const lim = parsed.limits.get(name);
    if (lim && req.cmp(lim) > 0) {
      errs.push(fieldInvalid(`${path}.requests`, req.toString(), `must be less than or equal to ${name} limit of ${lim.toString()}`));
    }
  }
  return errs;
}

const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;

export function validateProbe(p: Obj, path: string, mustSucceedOnce: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const set = handlers.filter((h) => p[h] !== undefined && p[h] !== null);
  if (set.length === 0) errs.push(fieldRequired(path, 'must specify a handler type'));
  for (const extra of set.slice(1)) errs.push(fieldForbidden(`${path}.${extra}`, 'may not specify more than 1 handler type'));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...nonNegative(`${path}.${f}`, p[f]));
  }
  if (mustSucceedOnce && typeof p['successThreshold'] === 'number' && p['successThreshold'] !== 1) {
    errs.push(fieldInvalid(`${path}.successThreshold`, p['successThreshold'], 'must be 1'));
  }
  if (typeof p['terminationGracePeriodSeconds'] === 'number' && p['terminationGracePeriodSeconds'] <= 0) {
    errs.push(fieldInvalid(`${path}.terminationGracePeriodSeconds`, p['terminationGracePeriodSeconds'], 'must be greater than 0'));
  }
  const http = p['httpGet'];
  if (isObj(http)) {
    errs.push(...validatePortNumOrName(http['port'], `${path}.httpGet.port`));
    const scheme = http['scheme'];
    if (scheme !== undefined && scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(fieldNotSupported(`${path}.httpGet.scheme`, scheme, ['HTTP', 'HTTPS']));
  }
  const tcp = p['tcpSocket'];
  if (isObj(tcp)) errs.push(...validatePortNumOrName(tcp['port'], `${path}.tcpSocket.port`));
  const exec = p['exec'];
  if (isObj(exec) && arr(exec['command']).length === 0) errs.push(fieldRequired(`${path}.exec.command`));
  const grpc = p['grpc'];
  if (isObj(grpc)) for (const m of isValidPortNum(grpc['port'])) errs.push(fieldInvalid(`${path}.grpc.port`, grpc['port'], m));
  return errs;
}

/** An IntOrString port: a number in range or a valid port name. */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (port === undefined || port === null || port === '' || port === 0) return [fieldRequired(path)];
  if (typeof port === 'number') return isValidPortNum(port).map((m) => fieldInvalid(path, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => fieldInvalid(path, port, m));
  return [fieldInvalid(path, port, 'must be an integer or a string')];
}
