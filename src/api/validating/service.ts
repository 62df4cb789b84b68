// Service validation: ValidateService and ValidateServiceUpdate.

import { isDNS1123Label, isDNS1123Subdomain, isValidPortNum, nameIsDNS1035Label, validateLabels } from '../../machinery/names.ts';
import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from '../../machinery/status.ts';
import type { KubeObject } from '../meta.ts';
import { registerValidator } from '../validation.ts';
import { validatePortNumOrName, validateProtocol } from './container.ts';
import { inRange, obj, objs, str, strMap, text, validateMeta } from './util.ts';

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;
const affinities = ['ClientIP', 'None'] as const;
const trafficPolicies = ['Cluster', 'Local'] as const;
const ipFamilyPolicies = ['SingleStack', 'PreferDualStack', 'RequireDualStack'] as const;
const ipFamilies = ['IPv4', 'IPv6'] as const;

export function validateService(svc: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(svc, old, true, nameIsDNS1035Label);
  const spec = obj(svc['spec']);
  const type = str(spec['type']) || 'ClusterIP';
  if (!serviceTypes.includes(type as 'ClusterIP')) errs.push(fieldNotSupported('spec.type', type, serviceTypes));
  const clusterIP = str(spec['clusterIP']);
  const headless = clusterIP === 'None';
  // Kubernetes reports cluster IP errors on the first entry of clusterIPs, which mirrors clusterIP.
  if (headless && type !== 'ClusterIP' && type !== 'ExternalName') {
    errs.push(fieldInvalid('spec.clusterIPs[0]', clusterIP, `may not be set to 'None' for ${type} services`));
  } else if (clusterIP && !headless && !isIP(clusterIP)) {
    errs.push(fieldInvalid('spec.clusterIPs[0]', clusterIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  }

  if (type === 'ExternalName') {
    const ext = str(spec['externalName']);
    if (!ext) errs.push(fieldRequired('spec.externalName'));
    else for (const m of isDNS1123Subdomain(ext.replace(/\.$/, ''))) errs.push(fieldInvalid('spec.externalName', ext, m));
    if (clusterIP && !old) errs.push(fieldForbidden('spec.clusterIP', 'may not be set for ExternalName services'));
  }

  const ports = objs(spec['ports']);
  if (ports.length === 0 && type !== 'ExternalName' && !headless) errs.push(fieldRequired('spec.ports'));
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((p, i) => {
    const pp = `spec.ports[${i}]`;
    const name = str(p['name']);
    if (!name) {
      if (ports.length > 1) errs.push(fieldRequired(`${pp}.name`));
    } else {
      for (const m of isDNS1123Label(name)) errs.push(fieldInvalid(`${pp}.name`, name, m));
      if (names.has(name)) errs.push(fieldDuplicate(`${pp}.name`, name));
      names.add(name);
    }
    errs.push(...inRange(`${pp}.port`, p['port'] ?? 0, 1, 65535));
    errs.push(...validateProtocol(p['protocol'] ?? 'TCP', `${pp}.protocol`));
    const key = `${text(p['port'])}/${str(p['protocol']) || 'TCP'}`;
    if (keys.has(key)) errs.push(fieldDuplicate(pp, p));
    keys.add(key);
    const target = p['targetPort'];
    if (typeof target === 'number') for (const m of isValidPortNum(target)) errs.push(fieldInvalid(`${pp}.targetPort`, target, m));
    else if (target !== undefined) errs.push(...validatePortNumOrName(target, `${pp}.targetPort`));
    const nodePort = p['nodePort'];
    if (typeof nodePort === 'number' && nodePort !== 0) {
      if (type !== 'NodePort' && type !== 'LoadBalancer') errs.push(fieldForbidden(`${pp}.nodePort`, `may not be used when \`type\` is '${type}'`));
      else if (nodePort < 30000 || nodePort > 32767) {
        errs.push(fieldInvalid(`${pp}.nodePort`, nodePort, 'provided port is not in the valid range. The range of valid ports is 30000-32767'));
      }
    }
  });

  errs.push(...validateLabels(strMap(spec['selector']), 'spec.selector'));
  const affinity = spec['sessionAffinity'];
  if (affinity !== undefined && !affinities.includes(affinity as 'None')) errs.push(fieldNotSupported('spec.sessionAffinity', affinity, affinities));
  const timeout = obj(obj(spec['sessionAffinityConfig'])['clientIP'])['timeoutSeconds'];
  if (timeout !== undefined) errs.push(...inRange('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, 1, 86400));
  const etp = spec['externalTrafficPolicy'];
  if (etp !== undefined && etp !== '') {
    if (type !== 'NodePort' && type !== 'LoadBalancer') {
      errs.push(fieldInvalid('spec.externalTrafficPolicy', etp, "may only be set when `type` is 'NodePort' or 'LoadBalancer'"));
    } else if (!trafficPolicies.includes(etp as 'Cluster')) errs.push(fieldNotSupported('spec.externalTrafficPolicy', etp, trafficPolicies));
  }
  const itp = spec['internalTrafficPolicy'];
  if (itp !== undefined && !trafficPolicies.includes(itp as 'Cluster')) errs.push(fieldNotSupported('spec.internalTrafficPolicy', itp, trafficPolicies));
  const ifp = spec['ipFamilyPolicy'];
  if (ifp !== undefined && !ipFamilyPolicies.includes(ifp as 'SingleStack')) errs.push(fieldNotSupported('spec.ipFamilyPolicy', ifp, ipFamilyPolicies));
  (Array.isArray(spec['ipFamilies']) ? spec['ipFamilies'] : []).forEach((f: unknown, i: number) => {
    if (!ipFamilies.includes(f as 'IPv4')) errs.push(fieldNotSupported(`spec.ipFamilies[${i}]`, f, ipFamilies));
  });

  if (old) {
    const oldSpec = obj(old['spec']);
    const oldIP = str(oldSpec['clusterIP']);
    // ExternalName services have no cluster IP to keep.
    if (oldIP && clusterIP && oldIP !== clusterIP && str(oldSpec['type']) !== 'ExternalName' && type !== 'ExternalName') {
      const ips = Array.isArray(spec['clusterIPs']) ? spec['clusterIPs'] : [clusterIP];
      errs.push(fieldInvalid('spec.clusterIPs[0]', ips, 'may not change once set'));
    }
  }
  return errs;
}

export function isIP(s: string): boolean {
  const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
  if (v4.test(s)) return true;
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  try {
    new URL(`http://[${s}]/`);
    return true;
  } catch {
    return false;
  }
}

registerValidator('Service', validateService);
