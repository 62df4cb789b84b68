// OpenAPI v3: `/openapi/v3` lists one document per group-version, each
// addressed with a content hash so clients can cache it forever.

import { createHash } from 'node:crypto';
import { resources, type ResourceInfo } from '../../api/scheme.ts';
import { collectResources, patchContentTypes } from './collect.ts';
import type { Operation, Param, PathItem } from './operations.ts';
import { SchemaSet, type Schema } from './schemas.ts';

export type Served = { body: string; hash: string };

const mediaTypes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const watchMediaTypes = [...mediaTypes, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];

/** Uppercase hex SHA-512 of the document, as Kubernetes computes it. */
export const contentHash = (body: string): string => createHash('sha512').update(body).digest('hex').toUpperCase();

const info = { title: 'Kubernetes', version: 'v1.32.0' };
const security = {
  securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
};

/** The v3 document of one group-version over the given resources. */
export function buildV3GroupVersion(rs: readonly ResourceInfo[]): Schema {
  const set = new SchemaSet('v3');
  const { items, complete } = collectResources(set, rs);
  const patchTypes = patchContentTypes(complete);
  const paths: Record<string, Schema> = {};
  for (const item of items) paths[item.path] = pathItem(set, item, patchTypes);
  return { openapi: '3.0.0', info, paths, components: { schemas: set.sorted(), ...security }, security: [{ BearerToken: [] }] };
}

function param(p: Param): Schema {
  const out: Schema = { name: p.name, in: p.in, description: p.description, schema: { type: p.type, uniqueItems: true } };
  if (p.required) out['required'] = true;
  return out;
}

function pathItem(set: SchemaSet, item: PathItem, patchTypes: string[]): Schema {
  const out: Schema = {};
  for (const op of item.ops) out[op.method] = operation(set, op, patchTypes);
  out['parameters'] = item.params.map(param);
  return out;
}

function operation(set: SchemaSet, op: Operation, patchTypes: string[]): Schema {
  const tag = `${op.gvk.group ? op.gvk.group.replace(/\.k8s\.io$/, '').replace(/\.(.)/g, (_, c: string) => c.toUpperCase()) : 'core'}_${op.gvk.version}`;
  const out: Schema = { tags: [tag], description: op.description, operationId: op.operationId };
  if (op.params.length > 0) out['parameters'] = op.params.map(param);
  if (op.body) {
    const schema = set.refTo(op.body.schema);
    const types = op.body.kind === 'patch' ? patchTypes : ['*/*'];
    out['requestBody'] = { content: Object.fromEntries(types.map((t) => [t, { schema }])), ...(op.body.kind === 'delete' ? {} : { required: true }) };
  }
  const responses: Schema = {};
  for (const [code, name] of Object.entries(op.responses)) {
    const schema = set.refTo(name);
    responses[code] = { description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK', content: Object.fromEntries((op.watch ? watchMediaTypes : mediaTypes).map((t) => [t, { schema }])) };
  }
  responses['401'] = { description: 'Unauthorized' };
  out['responses'] = responses;
  out['x-kubernetes-action'] = op.action;
  out['x-kubernetes-group-version-kind'] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
  return out;
}

/** `api/v1`, `apis/apps/v1`: the key of a group-version in the root document. */
const gvKey = (group: string, version: string): string => (group ? `apis/${group}/${version}` : `api/${version}`);

function groupDocument(group: string): Schema {
  const path = group ? `/apis/${group}/` : '/api/';
  const op = { tags: [group || 'core'], description: 'get information of a group', operationId: `get${group ? group : 'Core'}APIGroup`, responses: { '200': { description: 'OK' }, '401': { description: 'Unauthorized' } } };
  return { openapi: '3.0.0', info, paths: { [path]: { get: op } }, components: { ...security }, security: [{ BearerToken: [] }] };
}

let cache: Map<string, Served> | undefined;

function serve(doc: Schema): Served {
  const body = JSON.stringify(doc);
  return { body, hash: contentHash(body) };
}

function documents(): Map<string, Served> {
  if (cache) return cache;
  const docs = new Map<string, Served>();
  const byGv = new Map<string, ResourceInfo[]>();
  for (const r of resources) {
    const k = gvKey(r.group, r.version);
    const list = byGv.get(k) ?? [];
    list.push(r);
    byGv.set(k, list);
  }
  for (const [k, rs] of byGv) docs.set(k, serve(buildV3GroupVersion(rs)));
  const groups = new Set(resources.map((r) => r.group));
  for (const g of groups) docs.set(g ? `apis/${g}` : 'api', serve(groupDocument(g)));
  cache = docs;
  return docs;
}

/** Drops the cached documents (after types are registered late, and in tests). */
export function resetOpenApiV3Cache(): void {
  cache = undefined;
}

/** `GET /openapi/v3`. */
export function openApiV3Root(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [k, d] of documents()) paths[k] = { serverRelativeURL: `/openapi/v3/${k}?hash=${d.hash}` };
  return { paths };
}

/** `GET /openapi/v3/apis/<group>/<version>` (core: group ''). */
export function openApiV3GroupVersion(group: string, version: string): Served | undefined {
  return documents().get(gvKey(group, version));
}

/** Any document of the root by its path after `/openapi/v3/`: `api/v1`, `apis/apps/v1`, `apis/apps`, `api`. */
export function openApiV3Document(path: string): Served | undefined {
  return documents().get(path.replace(/^\/+|\/+$/g, ''));
}
