// Running one probe: exec through the runtime, httpGet / tcpSocket / grpc
// against the pod IP. Hollow nodes answer from the fake runtime instead.

import { connect } from 'node:net';
import { connect as http2Connect } from 'node:http2';
import type { ProbeKind, RuntimeService } from './runtime/runtime.ts';
import type { FakeRuntime } from './runtime/fake-runtime.ts';
import type { ContainerSpec, LifecycleHandler, Pod, Probe } from './types.ts';

export type ProbeTarget = { pod: Pod; container: ContainerSpec; containerId: string; podIP: string; kind: ProbeKind };
export type ProbeOutcome = { ok: boolean; output: string };

export interface Prober {
  probe(target: ProbeTarget, probe: Probe | LifecycleHandler, timeoutMs: number): Promise<ProbeOutcome>;
}

/** A port given by name resolves through the container's ports. */
export function resolvePort(port: number | string, container: ContainerSpec): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

export class RuntimeProber implements Prober {
  private readonly runtime: RuntimeService;
  constructor(runtime: RuntimeService) {
    this.runtime = runtime;
  }

  async probe(t: ProbeTarget, p: Probe | LifecycleHandler, timeoutMs: number): Promise<ProbeOutcome> {
    try {
      if (p.exec) {
        const r = await this.runtime.execSync(t.containerId, p.exec.command ?? [], Math.ceil(timeoutMs / 1000));
        return { ok: r.exitCode === 0, output: `command ${JSON.stringify((p.exec.command ?? []).join(' '))} exited with ${r.exitCode}: ${r.stdout}${r.stderr}` };
      }
      if (p.httpGet) {
        const port = resolvePort(p.httpGet.port, t.container);
        const scheme = (p.httpGet.scheme ?? 'HTTP').toLowerCase();
        const url = `${scheme}://${p.httpGet.host ?? t.podIP}:${port}${p.httpGet.path ?? '/'}`;
        const headers = Object.fromEntries((p.httpGet.httpHeaders ?? []).map((h) => [h.name, h.value]));
        const res = await fetch(url, { headers: { 'user-agent': 'kube-probe/1.32', ...headers }, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
        await res.arrayBuffer();
        return { ok: res.status >= 200 && res.status < 400, output: `HTTP probe failed with statuscode: ${res.status}` };
      }
      if (p.tcpSocket) {
        const port = resolvePort(p.tcpSocket.port, t.container);
        await tcpConnect(p.tcpSocket.host ?? t.podIP, port ?? 0, timeoutMs);
        return { ok: true, output: '' };
      }
      if ('grpc' in p && p.grpc) return await grpcHealth(t.podIP, p.grpc.port, p.grpc.service ?? '', timeoutMs);
      if ('sleep' in p && p.sleep) return { ok: true, output: '' };
      return { ok: false, output: 'probe has no handler' };
    } catch (e) {
      return { ok: false, output: (e as Error).message };
    }
  }
}

/** Hollow containers: the fake runtime's scripted answer, whatever the handler. */
export class FakeProber implements Prober {
  private readonly runtime: FakeRuntime;
  constructor(runtime: FakeRuntime) {
    this.runtime = runtime;
  }
  async probe(t: ProbeTarget): Promise<ProbeOutcome> {
    const ok = this.runtime.probe(t.containerId, t.kind);
    return { ok, output: ok ? '' : `${t.kind} probe of hollow container ${t.container.name} scripted to fail` };
  }
}

function tcpConnect(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port, timeout: timeoutMs });
    s.once('connect', () => {
      s.destroy();
      resolve();
    });
    s.once('timeout', () => {
      s.destroy();
      reject(new Error(`dial tcp ${host}:${port}: i/o timeout`));
    });
    s.once('error', (e) => reject(new Error(`dial tcp ${host}:${port}: ${e.message}`)));
  });
}

/** grpc.health.v1.Health/Check: request field 1 = service; response field 1 = status, 1 is SERVING. */
function grpcHealth(host: string, port: number, service: string, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const session = http2Connect(`http://${host}:${port}`);
    const done = (o: ProbeOutcome) => {
      session.close();
      resolve(o);
    };
    const timer = setTimeout(() => done({ ok: false, output: `timeout: health rpc did not complete within ${timeoutMs}ms` }), timeoutMs);
    session.on('error', (e) => {
      clearTimeout(timer);
      done({ ok: false, output: `failed to connect service "${host}:${port}": ${e.message}` });
    });
    const svc = Buffer.from(service, 'utf8');
    const msg = svc.length > 0 ? Buffer.concat([Buffer.from([0x0a, svc.length]), svc]) : Buffer.alloc(0);
    const frame = Buffer.alloc(5 + msg.length);
    frame.writeUInt32BE(msg.length, 1);
    msg.copy(frame, 5);
    const req = session.request({ ':method': 'POST', ':path': '/grpc.health.v1.Health/Check', 'content-type': 'application/grpc', te: 'trailers' });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      clearTimeout(timer);
      const body = Buffer.concat(chunks);
      // Body: 5-byte frame header, then tag 0x08 and the status varint.
      const status = body.length >= 7 && body[5] === 0x08 ? body[6] : 0;
      done({ ok: status === 1, output: status === 1 ? '' : `service unhealthy (responded with "${status === 2 ? 'NOT_SERVING' : 'UNKNOWN'}")` });
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      done({ ok: false, output: e.message });
    });
    req.end(frame);
  });
}
