// What exists from the start: the system namespaces, priority classes, the default StorageClass and the `kubernetes` Service.

import { isStatusError } from '../machinery/status.ts';
import type { Registry } from './registry/registry.ts';
import { ensureDefaultStorageClass } from './bootstrap-storage-class.ts';

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function bootstrap(registry: Registry): Promise<void> {
  const namespaces = registry.mustStore('', 'namespaces');
  for (const name of systemNamespaces) {
    await ignoreExists(namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, undefined, { dryRun: false, fieldManager: 'skiff-apiserver' }));
  }
  // The system priority classes Kubernetes creates at start.
  const classes = registry.mustStore('scheduling.k8s.io', 'priorityclasses');
  for (const [name, value] of [['system-node-critical', 2000001000], ['system-cluster-critical', 2000000000]] as const) {
    if (classes.cache.get(classes.key(undefined, name))) continue;
    await ignoreExists(
      classes.create(
        { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, description: `Used for ${name === 'system-node-critical' ? 'system critical pods that must not be moved from their current node' : 'system critical pods that must run in the cluster, but can be moved to another node if necessary'}.` },
        undefined,
        { dryRun: false, fieldManager: 'skiff-apiserver' },
      ),
    );
  }
  await ensureDefaultStorageClass(registry);
  const services = registry.mustStore('', 'services');
  if (services.cache.get(services.key('default', 'kubernetes'))) return;
  await ignoreExists(
    services.create(
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { type: 'ClusterIP', clusterIP: '10.43.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None' },
      },
      'default',
      { dryRun: false, fieldManager: 'skiff-apiserver' },
    ),
  );
}

async function ignoreExists(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!(isStatusError(e) && e.reason === 'AlreadyExists')) throw e;
  }
}
