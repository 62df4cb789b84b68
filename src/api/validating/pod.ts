// Pod validation: ValidatePod on create, ValidatePodUpdate on update (the spec
// is immutable apart from images, deadlines, tolerations and the grace period).

import { nameIsDNSSubdomain } from '../../machinery/names.ts';
import { setKey } from '../../machinery/own-keys.ts';
import { fieldForbidden, fieldInvalid, type FieldError } from '../../machinery/status.ts';
import type { KubeObject } from '../meta.ts';
import { registerValidator } from '../validation.ts';
import { validatePodSpec } from './pod-spec.ts';
import { deepEqual, obj, objs, validateMeta, type Obj } from './util.ts';

const updateMessage =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export function validatePod(pod: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(pod, old, true, nameIsDNSSubdomain);
  // A status write keeps the stored spec object itself: that spec was validated when it was
  // written and cannot differ from itself, so only the metadata needs checking (as Kubernetes'
  // ValidatePodStatusUpdate does).
  if (old && pod['spec'] !== undefined && pod['spec'] === old['spec']) return errs;
  const spec = obj(pod['spec']);
  errs.push(...validatePodSpec(spec, 'spec'));
  if (old) errs.push(...validatePodSpecUpdate(spec, obj(old['spec'])));
  return errs;
}

function validatePodSpecUpdate(spec: Obj, oldSpec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const oldTolerations = objs(oldSpec['tolerations']);
  const newTolerations = objs(spec['tolerations']);
  // Tolerations may only be added to.
  const kept = oldTolerations.every((t) => newTolerations.some((n) => deepEqual(n, t)));
  if (!kept) errs.push(fieldForbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));

  // Overlay what may change onto the old spec; anything else that differs is forbidden.
  const mutated = structuredClone(oldSpec);
  for (const list of ['containers', 'initContainers'] as const) {
    const next = objs(spec[list]);
    const prev = objs(mutated[list]);
    if (next.length !== prev.length) continue;
    prev.forEach((c, i) => {
      c['image'] = next[i]?.['image'];
    });
  }
  for (const f of ['activeDeadlineSeconds', 'tolerations'] as const) setOrDelete(mutated, f, spec[f]);
  const oldGrace = oldSpec['terminationGracePeriodSeconds'];
  if (typeof oldGrace === 'number' && oldGrace < 0 && spec['terminationGracePeriodSeconds'] === 1) mutated['terminationGracePeriodSeconds'] = 1;
  if (!deepEqual(stripEmpty(mutated), stripEmpty(spec))) errs.push(fieldForbidden('spec', updateMessage));

  const oldDeadline = oldSpec['activeDeadlineSeconds'];
  const deadline = spec['activeDeadlineSeconds'];
  if (typeof oldDeadline === 'number' && (typeof deadline !== 'number' || deadline > oldDeadline)) {
    errs.push(fieldInvalid('spec.activeDeadlineSeconds', deadline ?? null, 'must be less than or equal to previous value'));
  }
  return errs;
}

function setOrDelete(o: Obj, key: string, v: unknown): void {
  if (v === undefined) delete o[key];
  else o[key] = structuredClone(v);
}

// null and absent mean the same on the wire.
function stripEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripEmpty);
  if (typeof v !== 'object' || v === null) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) setKey(out, k, stripEmpty(x));
  return out;
}

registerValidator('Pod', validatePod);
