// Services and pods for the endpoint controllers' tests.

import type { Pod, Service } from './types.ts';

export function svc(spec: NonNullable<Service['spec']>, name = 'web'): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', uid: 's1' }, spec };
}

export function pod(name: string, ip: string | undefined, opts: { ready?: boolean; labels?: Record<string, string>; node?: string; deleting?: boolean; phase?: string; portName?: string } = {}): Pod {
  const p: Pod = {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: opts.labels ?? { app: 'web' } },
    spec: { nodeName: opts.node ?? 'n1', containers: [{ name: 'c', ports: [{ name: opts.portName ?? 'http', containerPort: 8080 }] }] },
    status: { phase: opts.phase ?? 'Running', conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  };
  if (ip) p.status!.podIP = ip;
  if (opts.deleting) p.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  return p;
}
