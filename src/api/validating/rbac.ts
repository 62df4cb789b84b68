// rbac.authorization.k8s.io/v1 validation: rules of roles, roleRef and subjects of bindings.

import { isDNS1123Subdomain, nameIsPathSegment } from '../../machinery/names.ts';
import { fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from '../../machinery/status.ts';
import type { KubeObject } from '../meta.ts';
import { registerValidator } from '../validation.ts';
import { arr, deepEqual, obj, objs, str, validateLabelSelector, validateMeta } from './util.ts';

const rbacGroup = 'rbac.authorization.k8s.io';

function validateRules(rules: unknown, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  objs(rules).forEach((r, i) => {
    const p = `rules[${i}]`;
    if (arr(r['verbs']).length === 0) errs.push(fieldRequired(`${p}.verbs`, 'verbs must contain at least one value'));
    const urls = arr(r['nonResourceURLs']);
    if (urls.length > 0) {
      if (namespaced) errs.push(fieldInvalid(`${p}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
      if (arr(r['apiGroups']).length > 0 || arr(r['resources']).length > 0 || arr(r['resourceNames']).length > 0) {
        errs.push(fieldInvalid(`${p}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      return;
    }
    if (arr(r['apiGroups']).length === 0) errs.push(fieldRequired(`${p}.apiGroups`, 'resource rules must supply at least one api group'));
    if (arr(r['resources']).length === 0) errs.push(fieldRequired(`${p}.resources`, 'resource rules must supply at least one resource'));
  });
  return errs;
}

export function validateRole(role: KubeObject, old: KubeObject | undefined): FieldError[] {
  return [...validateMeta(role, old, true, nameIsPathSegment), ...validateRules(role['rules'], true)];
}

export function validateClusterRole(role: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = [...validateMeta(role, old, false, nameIsPathSegment), ...validateRules(role['rules'], false)];
  const aggregation = role['aggregationRule'];
  if (aggregation !== undefined && aggregation !== null) {
    const selectors = objs(obj(aggregation)['clusterRoleSelectors']);
    if (selectors.length === 0) errs.push(fieldRequired('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((s, i) => errs.push(...validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`)));
  }
  return errs;
}

function validateBinding(b: KubeObject, old: KubeObject | undefined, namespaced: boolean): FieldError[] {
  const errs = validateMeta(b, old, namespaced, nameIsPathSegment);
  const ref = obj(b['roleRef']);
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (str(ref['apiGroup']) !== rbacGroup) errs.push(fieldNotSupported('roleRef.apiGroup', ref['apiGroup'] ?? '', [rbacGroup]));
  if (!kinds.includes(str(ref['kind']))) errs.push(fieldNotSupported('roleRef.kind', ref['kind'] ?? '', kinds));
  const refName = str(ref['name']);
  if (!refName) errs.push(fieldRequired('roleRef.name'));
  else for (const m of nameIsPathSegment(refName, false)) errs.push(fieldInvalid('roleRef.name', refName, m));
  objs(b['subjects']).forEach((s, i) => {
    const p = `subjects[${i}]`;
    const name = str(s['name']);
    if (!name) errs.push(fieldRequired(`${p}.name`));
    switch (s['kind']) {
      case 'ServiceAccount':
        if (str(s['apiGroup']) !== '') errs.push(fieldNotSupported(`${p}.apiGroup`, s['apiGroup'], ['']));
        if (!namespaced && !str(s['namespace'])) errs.push(fieldRequired(`${p}.namespace`));
        if (name) for (const m of isDNS1123Subdomain(name)) errs.push(fieldInvalid(`${p}.name`, name, m));
        break;
      case 'User':
      case 'Group':
        if (str(s['apiGroup']) !== rbacGroup) errs.push(fieldNotSupported(`${p}.apiGroup`, s['apiGroup'] ?? '', [rbacGroup]));
        break;
      default:
        errs.push(fieldNotSupported(`${p}.kind`, s['kind'] ?? '', ['ServiceAccount', 'User', 'Group']));
    }
  });
  if (old && !deepEqual(b['roleRef'], old['roleRef'])) errs.push(fieldInvalid('roleRef', b['roleRef'] ?? null, 'cannot change roleRef'));
  return errs;
}

export const validateRoleBinding = (b: KubeObject, old: KubeObject | undefined): FieldError[] => validateBinding(b, old, true);
export const validateClusterRoleBinding = (b: KubeObject, old: KubeObject | undefined): FieldError[] => validateBinding(b, old, false);

registerValidator(`Role.${rbacGroup}`, validateRole);
registerValidator(`ClusterRole.${rbacGroup}`, validateClusterRole);
registerValidator(`RoleBinding.${rbacGroup}`, validateRoleBinding);
registerValidator(`ClusterRoleBinding.${rbacGroup}`, validateClusterRoleBinding);
