// OpenAPI v2 (swagger 2.0): one document for every group, the same content as
// the v3 documents. kubectl falls back to it when v3 is unavailable.

import { resources, type ResourceInfo } from '../../api/scheme.ts';
import { collectResources, patchContentTypes } from './collect.ts';
import type { Operation, Param } from './operations.ts';
import { SchemaSet, type Schema } from './schemas.ts';

const produces = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const watchProduces = [...produces, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];

export function buildV2(rs: readonly ResourceInfo[]): Schema {
  const set = new SchemaSet('v2');
  const { items, complete } = collectResources(set, rs);
  const patchTypes = patchContentTypes(complete);
  const paths: Record<string, Schema> = {};
  for (const item of items) {
    const p: Schema = {};
    for (const op of item.ops) p[op.method] = operation(set, op, patchTypes);
    p['parameters'] = item.params.map(param);
    paths[item.path] = p;
  }
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    definitions: set.sorted(),
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } },
    security: [{ BearerToken: [] }],
  };
}

function param(p: Param): Schema {
  const out: Schema = { uniqueItems: true, type: p.type, description: p.description, name: p.name, in: p.in };
  if (p.required) out['required'] = true;
  return out;
}

function operation(set: SchemaSet, op: Operation, patchTypes: string[]): Schema {
  const out: Schema = {
    description: op.description,
    consumes: op.body?.kind === 'patch' ? patchTypes : ['*/*'],
    produces: op.watch ? watchProduces : produces,
    schemes: ['https'],
    operationId: op.operationId,
  };
  const params = op.params.map(param);
  if (op.body) params.unshift({ name: 'body', in: 'body', required: op.body.kind !== 'delete', schema: set.refTo(op.body.schema) });
  if (params.length > 0) out['parameters'] = params;
  const responses: Schema = {};
  for (const [code, name] of Object.entries(op.responses)) {
    responses[code] = { description: code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'OK', schema: set.refTo(name) };
  }
  responses['401'] = { description: 'Unauthorized' };
  out['responses'] = responses;
  out['x-kubernetes-action'] = op.action;
  out['x-kubernetes-group-version-kind'] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
  return out;
}

let cache: string | undefined;

/** `GET /openapi/v2`, serialized once. */
export function openApiV2(): string {
  cache ??= JSON.stringify(buildV2(resources));
  return cache;
}

export function resetOpenApiV2Cache(): void {
  cache = undefined;
}
