// Writes: create (POST), update (PUT), patch (PATCH: JSON, merge, strategic,
// server-side apply), delete and deletecollection.

import { apiVersionOf, parseApiVersion, type KubeObject } from '../../api/meta.ts';
import { duplicateFields, duplicateFieldsOf, unknownFields } from '../../api/schema/field-check.ts';
import { typeErrors } from '../../api/schema/type-check.ts';
import { pruneUnknownFields } from '../../api/schema/prune.ts';
import { applyPatch } from '../../machinery/apply/index.ts';
import { applyPatchByType } from '../../machinery/patch/index.ts';
import { rfc3339 } from '../../machinery/clock.ts';
import { badRequest, isStatusError, statusError } from '../../machinery/status.ts';
import { decodeBody, mediaType, readBody, send, type DecodedBody } from '../codec.ts';
import type { DeleteOptions, WriteOptions } from '../registry/store.ts';
import { buildFilter } from '../selectors.ts';
import { fieldManagerOf, isDryRun, present, reply, toStored, type HandlerContext } from './context.ts';
import { listObjects } from './read.ts';

/** Resources Kubernetes lets a PUT create. */
const createOnUpdate = new Set(['coordination.k8s.io/leases', '/endpoints', '/events', 'discovery.k8s.io/endpointslices']);

function writeOptions(ctx: HandlerContext, extra?: Partial<WriteOptions>): WriteOptions {
  const opts: WriteOptions = { dryRun: isDryRun(ctx.query), fieldManager: fieldManagerOf(ctx), ...extra };
  if (ctx.request.subresource) opts.subresource = ctx.request.subresource;
  return opts;
}

type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

function fieldValidation(ctx: HandlerContext): FieldValidation {
  const v = ctx.query.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got ${JSON.stringify(v)}`);
}

/**
 * Values of the wrong JSON type are always refused (as Kubernetes' decoder does);
 * unknown and duplicate fields are an error under Strict, a Warning header under Warn.
 */
function checkFields(ctx: HandlerContext, obj: unknown, repeated: string[], what: string): void {
  const wrong = typeErrors(ctx.info.schema, obj);
  if (wrong.length > 0) throw badRequest(`${what}: ${wrong.join('; ')}`);
  const mode = fieldValidation(ctx);
  if (mode === 'Ignore') {
    pruneUnknownFields(ctx.info.schema, obj);
    return;
  }
  const problems = [...repeated, ...unknownFields(ctx.info.schema, obj)];
  if (problems.length === 0) return;
  if (mode === 'Strict') {
    throw badRequest(`${what}: strict decoding error: ${problems.join(', ')}`);
  }
  const warnings = problems.map((p) => `299 - ${JSON.stringify(p)}`);
  ctx.res.setHeader('Warning', warnings);
  pruneUnknownFields(ctx.info.schema, obj);
}

/**
 * `duplicate field "x"` for each key a JSON body repeats (a YAML body's own
 * parser reports its repeats). Asked before the decoded value is changed.
 */
function repeatedKeys(body: DecodedBody): string[] {
  if (body.text === undefined || !body.text.trimStart().startsWith('{')) return [];
  return body.format === 'json' ? duplicateFieldsOf(body.text, body.value) : duplicateFields(body.text);
}

/** Reads the body as an object of this resource's kind, filling apiVersion/kind when absent. */
async function readObject(ctx: HandlerContext): Promise<KubeObject> {
  return objectFromBody(ctx, await readBody(ctx.req));
}

/** A value from a request body as text for an error message; String() throws on objects like {"toString": ""}. */
const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));

function objectFromBody(ctx: HandlerContext, body: Buffer): KubeObject {
  const decoded = decodeBody(body, ctx.req.headers['content-type']);
  const obj = decoded.value;
  const repeated = repeatedKeys(decoded);
  const { info } = ctx;
  const expected = apiVersionOf(info.group, info.version);
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw badRequest(`the request body must be a ${info.kind} object`);
  }
  const o = obj as KubeObject;
  if (o.kind !== undefined && o.kind !== info.kind) {
    throw badRequest(`the kind of the object (${shown(o.kind)}) does not match the kind of the URL (${info.kind})`);
  }
  if (o.apiVersion !== undefined) {
    const gv = typeof o.apiVersion === 'string' ? parseApiVersion(o.apiVersion) : undefined;
    if (gv?.group !== info.group || gv.version !== info.version) {
      throw badRequest(`the API version in the data (${shown(o.apiVersion)}) does not match the expected API version (${expected})`);
    }
  }
  if (o.metadata === undefined || o.metadata === null) o.metadata = {};
  if (typeof o.metadata !== 'object' || Array.isArray(o.metadata)) throw badRequest('metadata must be an object');
  o.apiVersion = expected;
  o.kind = info.kind;
  if (decoded.format !== 'protobuf') checkFields(ctx, o, repeated, `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}`);
  return o;
}

function checkNamespace(ctx: HandlerContext, obj: KubeObject): void {
  const ns = obj.metadata.namespace;
  if (ctx.info.namespaced && ns && ctx.request.namespace && ns !== ctx.request.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (ctx.info.namespaced && !ctx.request.namespace) {
    throw badRequest(`the server could not find the requested resource: ${ctx.info.resource} must be created in a namespace`);
  }
}

export async function handleCreate(ctx: HandlerContext): Promise<void> {
  const obj = await readObject(ctx);
  checkNamespace(ctx, obj);
  const created = await ctx.store.create(toStored(ctx.info, obj), ctx.request.namespace, writeOptions(ctx));
  reply(ctx, 201, created);
}

export async function handleUpdate(ctx: HandlerContext): Promise<void> {
  const body = await readBody(ctx.req);
  const obj = objectFromBody(ctx, body);
  checkNamespace(ctx, obj);
  const name = ctx.request.name!;
  if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
  }
  // Each attempt of the update (and a create after a miss) changes the object it gets. The first
  // takes the decoded body itself; a later one decodes the body again, which is rarer and cheaper
  // than deep-copying the object up front on every request.
  let unused: KubeObject | undefined = toStored(ctx.info, obj);
  const fresh = (): KubeObject => {
    const next = unused ?? toStored(ctx.info, objectFromBody(ctx, body));
    unused = undefined;
    return next;
  };
  const canCreate = createOnUpdate.has(`${ctx.info.group}/${ctx.info.resource}`) && !ctx.request.subresource;
  const { object, created } = await ctx.store.update(ctx.request.namespace, name, { replace: fresh }, {
    ...writeOptions(ctx),
    ...(canCreate ? { createIfMissing: fresh } : {}),
  });
  reply(ctx, created ? 201 : 200, object);
}

export async function handlePatch(ctx: HandlerContext): Promise<void> {
  const type = mediaType(ctx.req.headers['content-type']);
  const body = decodeBody(await readBody(ctx.req), type);
  const { info, request } = ctx;
  const name = request.name!;
  if (type === 'application/apply-patch+yaml') {
    await handleApply(ctx, body.value, repeatedKeys(body));
    return;
  }
  // The patch functions never change the document they patch (they build a new one),
  // so the current object is only read.
  const derive = (current: KubeObject): KubeObject => {
    const patched = applyPatchByType(type, present(info, current), body.value, info.schema);
    if (patched === null || typeof patched !== 'object' || Array.isArray(patched)) throw badRequest('the patch did not produce an object');
    const obj = patched as KubeObject;
    if (typeof obj.metadata !== 'object' || obj.metadata === null) throw badRequest('the patch removed metadata');
    checkFields(ctx, obj, [], `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}`);
    return toStored(info, obj);
  };
  const { object } = await ctx.store.update(request.namespace, name, { derive }, writeOptions(ctx));
  reply(ctx, 200, object);
}

async function handleApply(ctx: HandlerContext, applied: unknown, repeated: string[]): Promise<void> {
  const { info, request, query } = ctx;
  const manager = query.get('fieldManager');
  if (!manager) {
    throw statusError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
      group: 'meta.k8s.io',
      kind: 'PatchOptions',
      causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
    });
  }
  const forceRaw = query.get('force');
  const force = forceRaw === 'true';
  if (applied === null || typeof applied !== 'object' || Array.isArray(applied)) throw badRequest('the apply configuration must be an object');
  const cfg = applied as KubeObject;
  cfg.metadata ??= {};
  const expected = apiVersionOf(info.group, info.version);
  if (!cfg.apiVersion || !cfg.kind) throw badRequest(`invalid object type: apiVersion and kind must be set in an apply configuration (expected ${expected}, ${info.kind})`);
  if (cfg.apiVersion !== expected || cfg.kind !== info.kind) {
    throw badRequest(`the apply configuration is of kind ${shown(cfg.kind)} (${shown(cfg.apiVersion)}), but the URL is for ${info.kind} (${expected})`);
  }
  if (cfg.metadata.name !== undefined && cfg.metadata.name !== request.name) {
    throw badRequest(`the name of the object (${cfg.metadata.name}) does not match the name on the URL (${request.name})`);
  }
  checkFields(ctx, cfg, repeated, `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}`);
  const now = rfc3339(ctx.registry.clock.now());
  const base = { applied: cfg, manager, force, typeName: info.schema, apiVersion: expected, now };
  const sub = request.subresource ? { subresource: request.subresource } : {};
  const opts = { ...writeOptions(ctx), apply: true };
  const { object, created } = await ctx.store.update(
    request.namespace,
    request.name!,
    (current) => toStored(info, applyPatch({ ...base, ...sub, live: present(info, current) })),
    {
      ...opts,
      createIfMissing: () => {
        if (request.subresource) throw badRequest('cannot apply a subresource of a missing object');
        const fresh = applyPatch({ ...base, live: undefined });
        if (info.namespaced && fresh.metadata.namespace && fresh.metadata.namespace !== request.namespace) {
          throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
        }
        return toStored(info, fresh);
      },
    },
  );
  reply(ctx, created ? 201 : 200, object);
}

async function readDeleteOptions(ctx: HandlerContext): Promise<DeleteOptions> {
  const raw = await readBody(ctx.req);
  const opts: DeleteOptions = {};
  if (raw.length > 0 && raw.toString('utf8').trim() !== '') {
    const body = decodeBody(raw, ctx.req.headers['content-type'] ?? 'application/json').value as Record<string, unknown> | null;
    if (body && typeof body === 'object') {
      if (typeof body.gracePeriodSeconds === 'number') opts.gracePeriodSeconds = body.gracePeriodSeconds;
      if (body.preconditions && typeof body.preconditions === 'object') opts.preconditions = body.preconditions as DeleteOptions['preconditions'] & object;
      if (typeof body.propagationPolicy === 'string') opts.propagationPolicy = body.propagationPolicy as DeleteOptions['propagationPolicy'] & string;
      if (Array.isArray(body.dryRun) && body.dryRun.includes('All')) opts.dryRun = true;
    }
  }
  const q = ctx.query;
  const grace = q.get('gracePeriodSeconds');
  if (grace !== null && grace !== '') {
    const n = Number(grace);
    if (!Number.isInteger(n)) throw badRequest(`invalid gracePeriodSeconds: ${JSON.stringify(grace)}`);
    opts.gracePeriodSeconds = n;
  }
  const policy = q.get('propagationPolicy');
  if (policy) opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'] & string;
  if (opts.propagationPolicy && !['Foreground', 'Background', 'Orphan'].includes(opts.propagationPolicy)) {
    throw statusError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  if (isDryRun(q)) opts.dryRun = true;
  return opts;
}

export async function handleDelete(ctx: HandlerContext): Promise<void> {
  const opts = await readDeleteOptions(ctx);
  const { object } = await ctx.store.delete(ctx.request.namespace, ctx.request.name!, opts);
  reply(ctx, 200, object);
}

export async function handleDeleteCollection(ctx: HandlerContext): Promise<void> {
  const opts = await readDeleteOptions(ctx);
  const filter = buildFilter(ctx.info, ctx.query);
  const page = await listObjects(ctx, filter);
  const deleted: KubeObject[] = [];
  for (const obj of page.items) {
    try {
      deleted.push((await ctx.store.delete(obj.metadata.namespace, obj.metadata.name!, opts)).object);
    } catch (e) {
      if (!(isStatusError(e) && e.reason === 'NotFound')) throw e;
    }
  }
  const list = { kind: ctx.info.listKind, apiVersion: apiVersionOf(ctx.info.group, ctx.info.version), metadata: page.meta, items: deleted.map((o) => present(ctx.info, o)) };
  send(ctx.res, 200, list, ctx.format);
}
