// Turns a request's method and path into what Kubernetes calls RequestInfo:
// the verb, and the group/version/namespace/resource/name/subresource it names.

export type RequestInfo =
  | { isResource: false; path: string; verb: string }
  | {
      isResource: true;
      verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'connect';
      group: string;
      version: string;
      namespace: string | undefined;
      resource: string;
      name: string | undefined;
      subresource: string | undefined;
      /** Segments after the subresource (proxy paths). */
      rest: string[];
    };

const methodVerbs: Record<string, string> = {
  GET: 'get',
  HEAD: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** Connect-style subresources: streamed, not CRUD. */
const connectSubresources = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);

export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const segments = pathname.split('/').filter((s) => s !== '');
  const verb = methodVerbs[method] ?? method.toLowerCase();
  let rest: string[];
  let group: string;
  let version: string;
  if (segments[0] === 'api' && segments.length >= 2) {
    group = '';
    version = segments[1]!;
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    group = segments[1]!;
    version = segments[2]!;
    rest = segments.slice(3);
  } else {
    return { isResource: false, path: pathname, verb };
  }
  if (rest.length === 0) return { isResource: false, path: pathname, verb };

  let namespace: string | undefined;
  // /namespaces/{ns}/{resource}... but /namespaces/{name} and /namespaces/{name}/status are the namespace itself.
  const namespaceSubresource = rest[0] === 'namespaces' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
    namespace = rest[1];
    rest = rest.slice(2);
  } else if (rest[0] === 'watch') {
    // Deprecated /watch/ prefix.
    const inner = parseRequestInfo('GET', `/${segments.slice(0, group ? 3 : 2).join('/')}/${rest.slice(1).join('/')}`, query);
    if (inner.isResource) return { ...inner, verb: 'watch' };
    return inner;
  }
  const resource = rest[0]!;
  const name = rest[1];
  const subresource = rest[2];
  let resourceVerb: Extract<RequestInfo, { isResource: true }>['verb'];
  const isWatch = query.get('watch') === 'true' || query.get('watch') === '1';
  if (subresource && connectSubresources.has(subresource)) resourceVerb = 'connect';
  else if (verb === 'get') resourceVerb = name === undefined ? (isWatch ? 'watch' : 'list') : isWatch ? 'watch' : 'get';
  else if (verb === 'delete') resourceVerb = name === undefined ? 'deletecollection' : 'delete';
  else if (verb === 'create' || verb === 'update' || verb === 'patch') resourceVerb = verb;
  else return { isResource: false, path: pathname, verb };
  return {
    isResource: true,
    verb: resourceVerb,
    group,
    version,
    namespace,
    resource,
    name,
    subresource,
    rest: rest.slice(3),
  };
}
