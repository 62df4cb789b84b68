// The admin kubeconfig `skiff server` writes for kubectl and client libraries.

import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export function kubeconfigFor(server: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'skiff', cluster: { server } }],
    contexts: [{ name: 'skiff', context: { cluster: 'skiff', user: 'admin', namespace: 'default' } }],
    'current-context': 'skiff',
    users: [{ name: 'admin', user: {} }],
    preferences: {},
  });
}

export function writeKubeconfig(path: string, server: string): void {
  writeFileSync(path, kubeconfigFor(server), { mode: 0o600 });
}
