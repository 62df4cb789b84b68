// metrics.k8s.io/v1beta1 in discovery: the group is not in the scheme (it has
// no storage), so its documents are added beside the scheme-derived ones.

export const metricsGroup = 'metrics.k8s.io';
export const metricsVersion = 'v1beta1';
export const metricsGroupVersion = `${metricsGroup}/${metricsVersion}`;

const verbs = ['get', 'list'];

export function metricsApiGroup(): object {
  const v = { groupVersion: metricsGroupVersion, version: metricsVersion };
  return { name: metricsGroup, versions: [v], preferredVersion: v };
}

export function metricsResourceList(): object {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: metricsGroupVersion,
    resources: [
      { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs },
      { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs },
    ],
  };
}

/** The group's entry in aggregated discovery (apidiscovery.k8s.io/v2). */
export function metricsAggregatedGroup(): object {
  const resource = (resource: string, kind: string, namespaced: boolean) => ({
    resource,
    responseKind: { group: metricsGroup, version: metricsVersion, kind },
    scope: namespaced ? 'Namespaced' : 'Cluster',
    singularResource: '',
    verbs,
  });
  return {
    metadata: { name: metricsGroup },
    versions: [{ version: metricsVersion, resources: [resource('nodes', 'NodeMetrics', false), resource('pods', 'PodMetrics', true)], freshness: 'Current' }],
  };
}
