// The REST operations of each resource, described once and rendered by the v2
// and v3 documents. Paths, verbs and parameters follow the Kubernetes API;
// kubectl reads `x-kubernetes-group-version-kind` and the `fieldValidation`
// parameter of PATCH operations to decide on server-side validation.

import type { GroupVersionKind } from '../../api/meta.ts';
import type { ResourceInfo } from '../../api/scheme.ts';

export type Param = {
  name: string;
  in: 'query' | 'path';
  description: string;
  type: 'string' | 'boolean' | 'integer';
  required?: boolean;
};

export type Action = 'list' | 'post' | 'get' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'watch' | 'watchlist';

export type Operation = {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  operationId: string;
  description: string;
  action: Action;
  gvk: GroupVersionKind;
  params: Param[];
  /** Schema name of the request body; patch bodies are `Patch` in every patch format. */
  body?: { schema: string; kind: 'object' | 'patch' | 'delete' };
  /** Status code → schema name. */
  responses: Record<string, string>;
  watch?: boolean;
};

export type PathItem = { path: string; params: Param[]; ops: Operation[] };

/** Schema names the operations refer to, resolved by the caller. */
export type OperationSchemas = { object: string; list: string; status: string; deleteOptions: string; watchEvent: string; patch: string };

const q = (name: string, type: Param['type'], description: string): Param => ({ name, in: 'query', type, description });

const pretty = q('pretty', 'string', "If 'true', then the output is pretty printed.");
const nameParam: Param = { name: 'name', in: 'path', type: 'string', required: true, description: 'name of the object' };
const namespaceParam: Param = { name: 'namespace', in: 'path', type: 'string', required: true, description: 'object name and auth scope, such as for teams and projects' };

const dryRun = q('dryRun', 'string', 'When present, indicates that modifications should not be persisted. Valid value: All.');
const fieldManager = q('fieldManager', 'string', 'A name associated with the actor or entity that is making these changes.');
const fieldValidation = q(
  'fieldValidation',
  'string',
  'How the server treats unknown and duplicate fields in the request: Ignore, Warn (the default) or Strict (fail the request).',
);
const force = q('force', 'boolean', 'Force is going to "force" Apply requests: re-acquire fields owned by other managers.');

const listParams: Param[] = [
  q('allowWatchBookmarks', 'boolean', 'Requests watch events with type "BOOKMARK".'),
  q('continue', 'string', 'The continue token of a previous paginated list call.'),
  q('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields.'),
  q('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels.'),
  q('limit', 'integer', 'Maximum number of responses to return for a list call.'),
  q('resourceVersion', 'string', 'Sets a constraint on what resource versions a request may be served from.'),
  q('resourceVersionMatch', 'string', 'Determines how resourceVersion is applied to list calls.'),
  q('sendInitialEvents', 'boolean', 'Start a watch stream with synthetic events for the current state.'),
  q('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  q('watch', 'boolean', 'Watch for changes to the described resources.'),
];

const deleteParams: Param[] = [
  dryRun,
  q('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted.'),
  q('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy.'),
  q('propagationPolicy', 'string', 'Whether and how garbage collection will be performed: Orphan, Background or Foreground.'),
];

/** `apps` → `Apps`, `rbac.authorization.k8s.io` → `RbacAuthorization`, core → `Core`. */
export function groupIdent(group: string): string {
  if (!group) return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split(/[.-]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

export function groupVersionPath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** Every path of one resource, with its status and scale subresources. */
export function resourcePaths(r: ResourceInfo, s: OperationSchemas, scale?: { schema: string; gvk: GroupVersionKind }): PathItem[] {
  const gv = groupVersionPath(r.group, r.version);
  const gvk: GroupVersionKind = { group: r.group, version: r.version, kind: r.kind };
  const id = `${groupIdent(r.group)}${r.version.charAt(0).toUpperCase()}${r.version.slice(1)}`;
  const scope = r.namespaced ? 'Namespaced' : '';
  const kindId = `${scope}${r.kind}`;
  const collection = r.namespaced ? `${gv}/namespaces/{namespace}/${r.resource}` : `${gv}/${r.resource}`;
  const scopeParams = r.namespaced ? [namespaceParam, pretty] : [pretty];
  const what = r.kind;

  const op = (method: Operation['method'], action: Action, verb: string, suffix: string, description: string, extra: Partial<Operation>): Operation => ({
    method,
    action,
    operationId: `${verb}${id}${suffix}`,
    description,
    gvk,
    params: [],
    responses: {},
    ...extra,
  });

  const items: PathItem[] = [
    {
      path: collection,
      params: scopeParams,
      ops: [
        op('get', 'list', 'list', kindId, `list or watch objects of kind ${what}`, { params: listParams, responses: { '200': s.list } }),
        op('post', 'post', 'create', kindId, `create a ${what}`, {
          params: [dryRun, fieldManager, fieldValidation],
          body: { schema: s.object, kind: 'object' },
          responses: { '200': s.object, '201': s.object, '202': s.object },
        }),
        op('delete', 'deletecollection', 'delete', `Collection${kindId}`, `delete collection of ${what}`, {
          params: [...listParams.filter((p) => p.name !== 'watch' && p.name !== 'allowWatchBookmarks'), ...deleteParams],
          body: { schema: s.deleteOptions, kind: 'delete' },
          responses: { '200': s.status },
        }),
      ],
    },
    {
      path: `${collection}/{name}`,
      params: [nameParam, ...scopeParams],
      ops: [
        op('get', 'get', 'read', kindId, `read the specified ${what}`, { responses: { '200': s.object } }),
        op('put', 'put', 'replace', kindId, `replace the specified ${what}`, {
          params: [dryRun, fieldManager, fieldValidation],
          body: { schema: s.object, kind: 'object' },
          responses: { '200': s.object, '201': s.object },
        }),
        op('patch', 'patch', 'patch', kindId, `partially update the specified ${what}`, {
          params: [dryRun, fieldManager, fieldValidation, force],
          body: { schema: s.patch, kind: 'patch' },
          responses: { '200': s.object, '201': s.object },
        }),
        op('delete', 'delete', 'delete', kindId, `delete a ${what}`, {
          params: deleteParams,
          body: { schema: s.deleteOptions, kind: 'delete' },
          responses: { '200': s.object, '202': s.object },
        }),
      ],
    },
  ];

  if (r.subresources.includes('status')) items.push(subresource(`${collection}/{name}/status`, 'Status', 'status', s.object, gvk));
  if (r.subresources.includes('scale') && scale) items.push(subresource(`${collection}/{name}/scale`, 'Scale', 'scale', scale.schema, scale.gvk));

  // Watch paths: deprecated in Kubernetes but still published, and cheap.
  const watchBase = r.namespaced ? `${gv}/watch/namespaces/{namespace}/${r.resource}` : `${gv}/watch/${r.resource}`;
  const watchOp = (action: Action, suffix: string, description: string): Operation =>
    op('get', action, 'watch', suffix, description, { params: listParams, responses: { '200': s.watchEvent }, watch: true });
  items.push({ path: watchBase, params: scopeParams, ops: [watchOp('watchlist', `${kindId}List`, `watch individual changes to a list of ${what}`)] });
  items.push({ path: `${watchBase}/{name}`, params: [nameParam, ...scopeParams], ops: [watchOp('watch', kindId, `watch changes to an object of kind ${what}`)] });
  if (r.namespaced) {
    items.push({
      path: `${gv}/${r.resource}`,
      params: [pretty],
      ops: [op('get', 'list', 'list', `${r.kind}ForAllNamespaces`, `list or watch objects of kind ${what}`, { params: listParams, responses: { '200': s.list } })],
    });
    items.push({
      path: `${gv}/watch/${r.resource}`,
      params: [pretty],
      ops: [watchOp('watchlist', `${r.kind}ListForAllNamespaces`, `watch individual changes to a list of ${what}`)],
    });
  }
  return items;

  function subresource(path: string, suffix: string, name: string, schema: string, subGvk: GroupVersionKind): PathItem {
    return {
      path,
      params: [nameParam, ...scopeParams],
      ops: [
        { ...op('get', 'get', 'read', `${kindId}${suffix}`, `read ${name} of the specified ${what}`, { responses: { '200': schema } }), gvk: subGvk },
        {
          ...op('put', 'put', 'replace', `${kindId}${suffix}`, `replace ${name} of the specified ${what}`, {
            params: [dryRun, fieldManager, fieldValidation],
            body: { schema, kind: 'object' },
            responses: { '200': schema, '201': schema },
          }),
          gvk: subGvk,
        },
        {
          ...op('patch', 'patch', 'patch', `${kindId}${suffix}`, `partially update ${name} of the specified ${what}`, {
            params: [dryRun, fieldManager, fieldValidation, force],
            body: { schema: s.patch, kind: 'patch' },
            responses: { '200': schema, '201': schema },
          }),
          gvk: subGvk,
        },
      ],
    };
  }
}
