// Services: the API server allocates ClusterIPs from the service CIDR and
// NodePorts from 30000-32767, and keeps them across updates that omit them.

import type { KubeObject } from '../../api/meta.ts';
import { fieldInvalid, invalid } from '../../machinery/status.ts';
import type { Strategy, WriteContext } from './strategy.ts';

type ServicePort = { port?: number; nodePort?: number; protocol?: string; name?: string };
type ServiceSpec = {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
};

export type ServiceRanges = { serviceCIDR: string; nodePortMin: number; nodePortMax: number };
export const defaultServiceRanges: ServiceRanges = { serviceCIDR: '10.43.0.0/16', nodePortMin: 30000, nodePortMax: 32767 };

function parseCIDR(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const octets = ip!.split('.').map(Number);
  const base = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  return { base, size: 2 ** (32 - Number(bits)) };
}

const ipString = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

function inUse(ctx: WriteContext): { ips: Set<string>; ports: Set<number> } {
  const ips = new Set<string>();
  const ports = new Set<number>();
  for (const { object } of ctx.store('', 'services').cache.list('/', {}).items) {
    const spec = (object.spec ?? {}) as ServiceSpec;
    if (spec.clusterIP) ips.add(spec.clusterIP);
    for (const p of spec.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
  }
  return { ips, ports };
}

export function serviceStrategy(ranges: ServiceRanges): Strategy {
  const cidr = parseCIDR(ranges.serviceCIDR);
  // Addresses handed out but perhaps not yet in the cache.
  const pendingIPs = new Set<string>();
  const pendingPorts = new Set<number>();

  function allocateIP(used: Set<string>): string {
    for (let i = 0; i < 64; i++) {
      const offset = 2 + Math.floor(Math.random() * (cidr.size - 3));
      const ip = ipString(cidr.base + offset);
      if (!used.has(ip) && !pendingIPs.has(ip)) return remember(pendingIPs, ip);
    }
    for (let offset = 2; offset < cidr.size - 1; offset++) {
      const ip = ipString(cidr.base + offset);
      if (!used.has(ip) && !pendingIPs.has(ip)) return remember(pendingIPs, ip);
    }
    throw new Error(`no ClusterIP left in ${ranges.serviceCIDR}`);
  }

  function allocatePort(used: Set<number>): number {
    const span = ranges.nodePortMax - ranges.nodePortMin + 1;
    for (let i = 0; i < span * 2; i++) {
      const p = ranges.nodePortMin + Math.floor(Math.random() * span);
      if (!used.has(p) && !pendingPorts.has(p)) return remember(pendingPorts, p);
    }
    throw new Error('no NodePort left');
  }

  function allocate(svc: KubeObject, ctx: WriteContext, old: KubeObject | undefined): void {
    const spec = (svc.spec ??= {}) as ServiceSpec;
    const oldSpec = (old?.spec ?? {}) as ServiceSpec;
    const used = inUse(ctx);
    if (spec.type === 'ExternalName') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    } else {
      if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
      if (!spec.clusterIP) spec.clusterIP = allocateIP(used.ips);
      else if (spec.clusterIP !== 'None' && spec.clusterIP !== oldSpec.clusterIP) {
        const n = parseCIDR(`${spec.clusterIP}/32`).base;
        if (n < cidr.base || n >= cidr.base + cidr.size) {
          throw invalid({ group: '', kind: 'Service' }, svc.metadata.name ?? '', [
            fieldInvalid('spec.clusterIPs[0]', spec.clusterIP, `failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is ${ranges.serviceCIDR}`),
          ]);
        }
        if (used.ips.has(spec.clusterIP)) {
          throw invalid({ group: '', kind: 'Service' }, svc.metadata.name ?? '', [
            fieldInvalid('spec.clusterIPs', [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`),
          ]);
        }
      }
      spec.clusterIPs = [spec.clusterIP];
      spec.ipFamilies ??= spec.clusterIP === 'None' ? ['IPv4'] : ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
    }
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      for (const [i, p] of (spec.ports ?? []).entries()) {
        if (p.nodePort) continue;
        const previous = (oldSpec.ports ?? []).find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
        p.nodePort = previous?.nodePort ?? (oldSpec.ports?.[i]?.nodePort || allocatePort(used.ports));
      }
    } else {
      for (const p of spec.ports ?? []) delete p.nodePort;
    }
  }

  return {
    generation: false,
    prepareForCreate(svc, ctx) {
      allocate(svc, ctx, undefined);
      svc.status = { loadBalancer: {} };
    },
    prepareForUpdate(svc, old, ctx) {
      allocate(svc, ctx, old);
    },
    afterCreate(svc) {
      forget(svc);
    },
    afterDelete(svc) {
      forget(svc);
    },
  };

  function forget(svc: KubeObject): void {
    const spec = (svc.spec ?? {}) as ServiceSpec;
    if (spec.clusterIP) pendingIPs.delete(spec.clusterIP);
    for (const p of spec.ports ?? []) if (p.nodePort) pendingPorts.delete(p.nodePort);
  }
}

function remember<T>(set: Set<T>, v: T): T {
  set.add(v);
  return v;
}
