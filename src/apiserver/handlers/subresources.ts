// Subresources: status (through the generic handlers), scale, pods/binding,
// pods/eviction and namespaces/finalize.

import { disruptionCondition, disruptionReasons, isTerminalPhase } from '../../api/disruption.ts';
import type { KubeObject } from '../../api/meta.ts';
import { applyPatchByType } from '../../machinery/patch/index.ts';
import { rfc3339 } from '../../machinery/clock.ts';
import { badRequest, conflict, fieldInvalid, invalid, methodNotAllowed, tooManyRequests } from '../../machinery/status.ts';
import { labelSelectorToString, selectorFromLabelSelector } from '../../machinery/labels.ts';
import { decodeBody, mediaType, readBody, send } from '../codec.ts';
import { fieldManagerOf, isDryRun, type HandlerContext } from './context.ts';

type Scale = { kind: 'Scale'; apiVersion: 'autoscaling/v1'; metadata: KubeObject['metadata']; spec: { replicas: number }; status: { replicas: number; selector?: string } };

function selectorString(obj: KubeObject): string {
  const spec = (obj.spec ?? {}) as { selector?: unknown };
  if (obj.kind === 'ReplicationController') {
    const sel = (spec.selector ?? {}) as Record<string, string>;
    return Object.entries(sel)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }
  return spec.selector ? labelSelectorToString(spec.selector as Parameters<typeof labelSelectorToString>[0]) : '';
}

function toScale(obj: KubeObject): Scale {
  const spec = (obj.spec ?? {}) as { replicas?: number };
  const status = (obj.status ?? {}) as { replicas?: number };
  const sel = selectorString(obj);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name!,
      namespace: obj.metadata.namespace!,
      uid: obj.metadata.uid!,
      resourceVersion: obj.metadata.resourceVersion!,
      creationTimestamp: obj.metadata.creationTimestamp!,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: sel ? { replicas: status.replicas ?? 0, selector: sel } : { replicas: status.replicas ?? 0 },
  };
}

export async function handleScale(ctx: HandlerContext): Promise<void> {
  const { request, store, req } = ctx;
  const name = request.name!;
  if (ctx.request.verb === 'get') {
    send(ctx.res, 200, toScale(await store.get(request.namespace, name)), ctx.format);
    return;
  }
  if (ctx.request.verb !== 'update' && ctx.request.verb !== 'patch') throw methodNotAllowed(`${ctx.request.verb} is not supported on scale`);
  const type = mediaType(req.headers['content-type']);
  const body = decodeBody(await readBody(req), type).value;
  const { object } = await store.update(
    request.namespace,
    name,
    (current) => {
      const scale = toScale(current);
      const desired = (ctx.request.verb === 'update' ? body : applyPatchByType(type, scale, body, 'io.k8s.api.autoscaling.v1.Scale')) as Partial<Scale> | null;
      const replicas = desired?.spec?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw invalid({ group: 'autoscaling', kind: 'Scale' }, name, [fieldInvalid('spec.replicas', replicas ?? null, 'must be greater than or equal to 0')]);
      }
      const rv = desired?.metadata?.resourceVersion;
      if (rv && rv !== current.metadata.resourceVersion) throw conflict(ctx.info, name, 'the object has been modified; please apply your changes to the latest version and try again');
      (current.spec as { replicas?: number }).replicas = replicas;
      return current;
    },
    { dryRun: isDryRun(ctx.query), fieldManager: fieldManagerOf(ctx) },
  );
  send(ctx.res, 200, toScale(object), ctx.format);
}

/** pods/binding: the scheduler's way of setting spec.nodeName, once. */
export async function handleBinding(ctx: HandlerContext): Promise<void> {
  const { request, store } = ctx;
  const binding = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']).value as
    | { metadata?: { name?: string }; target?: { name?: string; kind?: string } }
    | null;
  const node = binding?.target?.name;
  const name = request.name ?? binding?.metadata?.name;
  if (!name) throw badRequest('the binding names no pod');
  if (!node) throw invalid({ group: '', kind: 'Binding' }, name, [fieldInvalid('target.name', node ?? '', 'must name a node')]);
  await store.rawUpdate(request.namespace, name, (pod) => {
    if (pod.metadata.deletionTimestamp) throw conflict(ctx.info, name, 'pod is being deleted, cannot be assigned to a host');
    const spec = (pod.spec ??= {}) as { nodeName?: string };
    if (spec.nodeName) throw conflict(ctx.info, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    spec.nodeName = node;
    const status = (pod.status ??= {}) as { conditions?: { type: string }[] };
    const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(ctx.registry.clock.now()) } as { type: string });
    status.conditions = conditions;
    return pod;
  });
  send(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** pods/eviction: a delete that respects PodDisruptionBudgets. */
export async function handleEviction(ctx: HandlerContext): Promise<void> {
  const { request, store, registry } = ctx;
  const name = request.name!;
  const eviction = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']).value as { deleteOptions?: { gracePeriodSeconds?: number } } | null;
  const pod = await store.get(request.namespace, name);
  const pdbs = registry.mustStore('policy', 'poddisruptionbudgets').cache.list(`/registry/policy/poddisruptionbudgets/${request.namespace}/`, {}).items;
  for (const { object: pdb } of pdbs) {
    const selector = selectorFromLabelSelector((pdb.spec as { selector?: never } | undefined)?.selector);
    if (!selector.matches(pod.metadata.labels)) continue;
    const allowed = (pdb.status as { disruptionsAllowed?: number } | undefined)?.disruptionsAllowed ?? 0;
    if (allowed <= 0) {
      const err = tooManyRequests(`Cannot evict pod as it would violate the pod's disruption budget.`, 10);
      err.status.details = { ...err.status.details, causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs more healthy pods`, field: '' }] };
      throw err;
    }
  }
  const grace = eviction?.deleteOptions?.gracePeriodSeconds;
  // A pod that is still running is marked as disrupted first (a Job's podFailurePolicy reads it), as Kubernetes does.
  if (!isTerminalPhase((pod.status as { phase?: string } | undefined)?.phase) && !pod.metadata.deletionTimestamp) {
    await markDisrupted(ctx, name, disruptionReasons.eviction);
  }
  await store.delete(request.namespace, name, grace === undefined ? {} : { gracePeriodSeconds: grace });
  send(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** Adds (or refreshes) the DisruptionTarget condition through the status subresource. */
async function markDisrupted(ctx: HandlerContext, name: string, why: { reason: string; message: string }): Promise<void> {
  const condition = disruptionCondition(why, ctx.registry.clock.now());
  await ctx.store.update(ctx.request.namespace, name, (pod) => {
    const status = (pod.status ?? {}) as { conditions?: { type: string }[] };
    status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), condition];
    pod.status = status;
    return pod;
  }, { dryRun: false, fieldManager: 'kube-apiserver', subresource: 'status' });
}

/** namespaces/finalize: replaces spec.finalizers; an emptied terminating namespace goes. */
export async function handleFinalize(ctx: HandlerContext): Promise<void> {
  const { request, store } = ctx;
  const name = request.name!;
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']).value as { spec?: { finalizers?: string[] } } | null;
  const finalizers = body?.spec?.finalizers ?? [];
  const updated = await store.rawUpdate(undefined, name, (ns) => {
    (ns.spec as { finalizers?: string[] }) = { ...(ns.spec as object), finalizers };
    return ns;
  });
  if (updated.metadata.deletionTimestamp && finalizers.length === 0 && (updated.metadata.finalizers ?? []).length === 0) {
    const { object } = await store.delete(undefined, name, {});
    send(ctx.res, 200, object, ctx.format);
    return;
  }
  send(ctx.res, 200, updated, ctx.format);
}
