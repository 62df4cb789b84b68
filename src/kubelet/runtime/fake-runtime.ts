// FakeRuntime: an in-memory RuntimeService + ImageService for tests and hollow
// nodes. Containers "run" until scripted (pod annotations, see
// sim-annotations.ts) or told (exitContainer) to exit; probe results are
// whatever the script or setProbeResult says.

import { randomBytes } from 'node:crypto';
import { realClock, type Clock, type Timer } from '../../machinery/clock.ts';
import { containerScript, type ContainerScript } from './sim-annotations.ts';
import { IpPool } from './ip-pool.ts';
import {
  type ContainerStats,
  runtimeLabels,
  type Container,
  type ContainerConfig,
  type ContainerFilter,
  type ContainerStatus,
  type ExecSyncResponse,
  type Image,
  type ImageService,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxStatus,
  type ProbeKind,
  type RuntimeService,
} from './runtime.ts';

type FakeSandbox = PodSandboxStatus;
type FakeContainer = ContainerStatus & { script: ContainerScript; exitTimer?: Timer; stopped?: Promise<void>; onExit: (() => void)[] };

export type FakeRuntimeOptions = { clock?: Clock; podCIDR?: string; pullDelayMs?: number };

const ms2ns = (ms: number) => ms * 1e6;

export class FakeRuntime implements RuntimeService, ImageService {
  readonly clock: Clock;
  private readonly sandboxes = new Map<string, FakeSandbox>();
  private readonly containers = new Map<string, FakeContainer>();
  private readonly images = new Map<string, Image>();
  private readonly probeOverrides = new Map<string, boolean>();
  private readonly ips: IpPool;
  /** Every call, in order, for tests that assert on what the kubelet did. */
  readonly calls: string[] = [];
  recordCalls = false;
  /** Bumped by every change of a sandbox's or container's state (see RuntimeService.revision). */
  revision = 0;

  constructor(opts: FakeRuntimeOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.ips = new IpPool(opts.podCIDR ?? '10.244.0.0/24');
  }

  /** New sandboxes get addresses from this range; running ones keep theirs. */
  setPodCIDR(cidr: string): void {
    if (this.ips.cidr !== cidr) this.ips.reset(cidr);
  }

  get podCIDR(): string {
    return this.ips.cidr;
  }

  private note(call: string): void {
    if (this.recordCalls) this.calls.push(call);
  }

  async version() {
    return { runtimeName: 'fake', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = newId();
    this.note(`runPodSandbox ${config.metadata.namespace}/${config.metadata.name}`);
    this.revision++;
    this.sandboxes.set(id, {
      id,
      metadata: { ...config.metadata },
      state: 'SANDBOX_READY',
      createdAt: ms2ns(this.clock.now()),
      labels: { ...config.labels },
      annotations: { ...config.annotations },
      network: { ip: this.ips.allocate(), additionalIps: [] },
    });
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    const sb = this.sandboxes.get(id);
    if (!sb) return;
    this.note(`stopPodSandbox ${sb.metadata.name}`);
    for (const c of this.containers.values()) if (c.podSandboxId === id && c.state === 'CONTAINER_RUNNING') this.exit(c, 137, 'Error');
    sb.state = 'SANDBOX_NOTREADY';
    this.revision++;
  }

  async removePodSandbox(id: string): Promise<void> {
    const sb = this.sandboxes.get(id);
    if (!sb) return;
    this.note(`removePodSandbox ${sb.metadata.name}`);
    for (const c of [...this.containers.values()]) if (c.podSandboxId === id) await this.removeContainer(c.id);
    this.ips.release(sb.network.ip);
    this.sandboxes.delete(id);
    this.revision++;
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const sb = this.sandboxes.get(id);
    if (!sb) throw notFound('pod sandbox', id);
    // A copy by hand: structuredClone cost more than the rest of a hollow pod's sync.
    return {
      ...sb,
      metadata: { ...sb.metadata },
      labels: { ...sb.labels },
      annotations: { ...sb.annotations },
      network: { ip: sb.network.ip, additionalIps: [...sb.network.additionalIps] },
    };
  }

  async listPodSandbox(filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
    const out: PodSandbox[] = [];
    for (const sb of this.sandboxes.values()) {
      if (filter.id !== undefined && sb.id !== filter.id) continue;
      if (filter.state !== undefined && sb.state !== filter.state) continue;
      if (!labelsMatch(sb.labels, filter.labelSelector)) continue;
      const { network: _n, ...rest } = sb;
      out.push(rest);
    }
    return out;
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    if (!this.sandboxes.has(podSandboxId)) throw notFound('pod sandbox', podSandboxId);
    const id = newId();
    const init = config.labels[runtimeLabels.containerType] === 'init';
    const image = this.images.get(config.image.image);
    this.note(`createContainer ${config.metadata.name}`);
    this.revision++;
    this.containers.set(id, {
      id,
      podSandboxId,
      metadata: { ...config.metadata },
      image: { image: config.image.image },
      imageRef: image?.id ?? config.image.image,
      state: 'CONTAINER_CREATED',
      createdAt: ms2ns(this.clock.now()),
      labels: { ...config.labels },
      annotations: { ...config.annotations },
      startedAt: 0,
      finishedAt: 0,
      exitCode: 0,
      reason: '',
      message: '',
      script: containerScript(sandboxConfig.annotations, config.metadata.name, init),
      onExit: [],
    });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.mustGet(id);
    if (c.state !== 'CONTAINER_CREATED') throw new Error(`container ${id} is ${c.state}, not created`);
    this.note(`startContainer ${c.metadata.name}`);
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = ms2ns(this.clock.now());
    this.revision++;
    const after = c.script.exitAfterMs;
    if (after !== undefined) {
      const code = c.script.exitCode;
      if (after === 0) this.exit(c, code, code === 0 ? 'Completed' : 'Error');
      else c.exitTimer = this.clock.setTimeout(() => this.exit(c, code, code === 0 ? 'Completed' : 'Error'), after);
    }
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    const c = this.containers.get(id);
    if (!c || c.state !== 'CONTAINER_RUNNING') {
      if (c && c.state === 'CONTAINER_CREATED') this.exit(c, 0, 'Completed');
      return;
    }
    this.note(`stopContainer ${c.metadata.name} ${timeoutSeconds}`);
    if (!c.script.ignoreSigterm) {
      this.exit(c, 143, 'Error');
      return;
    }
    c.stopped ??= new Promise<void>((done) => {
      c.onExit.push(done);
      this.clock.setTimeout(() => this.exit(c, 137, 'Error'), Math.max(0, timeoutSeconds) * 1000);
    });
    return c.stopped;
  }

  async removeContainer(id: string): Promise<void> {
    const c = this.containers.get(id);
    if (!c) return;
    this.note(`removeContainer ${c.metadata.name}`);
    if (c.state === 'CONTAINER_RUNNING') this.exit(c, 137, 'Error');
    this.containers.delete(id);
    this.revision++;
  }

  async listContainers(filter: ContainerFilter = {}): Promise<Container[]> {
    const out: Container[] = [];
    for (const c of this.containers.values()) {
      if (filter.id !== undefined && c.id !== filter.id) continue;
      if (filter.podSandboxId !== undefined && c.podSandboxId !== filter.podSandboxId) continue;
      if (filter.state !== undefined && c.state !== filter.state) continue;
      if (!labelsMatch(c.labels, filter.labelSelector)) continue;
      out.push(publicContainer(c));
    }
    return out;
  }

  /** All containers of one sandbox with their status: what a hollow kubelet needs per sync, in one call. */
  sandboxContainers(podSandboxId: string): ContainerStatus[] {
    const out: ContainerStatus[] = [];
    for (const c of this.containers.values()) if (c.podSandboxId === podSandboxId) out.push(publicStatus(c));
    return out;
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    return publicStatus(this.mustGet(id));
  }

  async execSync(id: string, cmd: string[], _timeoutSeconds: number): Promise<ExecSyncResponse> {
    const c = this.mustGet(id);
    if (c.state !== 'CONTAINER_RUNNING') throw new Error(`container ${id} is not running`);
    // A probe kind may be named in the command (kubelet's fake probes pass it); otherwise succeed.
    const kind = cmd.find((a): a is ProbeKind => a === 'liveness' || a === 'readiness' || a === 'startup');
    const ok = kind === undefined || this.probe(id, kind);
    return { stdout: '', stderr: ok ? '' : 'probe failed', exitCode: ok ? 0 : 1 };
  }

  /** The scripted answer of a probe of `kind` against a container. */
  probe(id: string, kind: ProbeKind): boolean {
    const c = this.containers.get(id);
    if (!c || c.state !== 'CONTAINER_RUNNING') return false;
    const key = `${c.labels[runtimeLabels.podUid] ?? ''}/${c.metadata.name}/${kind}`;
    return this.probeOverrides.get(key) ?? !c.script.failProbes.has(kind);
  }

  /** Test hook: make probes of `kind` for one container succeed or fail from now on. */
  setProbeResult(podUid: string, containerName: string, kind: ProbeKind, ok: boolean): void {
    this.probeOverrides.set(`${podUid}/${containerName}/${kind}`, ok);
  }

  /** Test hook: the running container with this pod uid and name exits now (a crash outside the kubelet; reason e.g. `OOMKilled`). */
  exitContainer(podUid: string, containerName: string, exitCode: number, reason?: string): boolean {
    for (const c of this.containers.values()) {
      if (c.state === 'CONTAINER_RUNNING' && c.metadata.name === containerName && c.labels[runtimeLabels.podUid] === podUid) {
        this.exit(c, exitCode, reason ?? (exitCode === 0 ? 'Completed' : 'Error'));
        return true;
      }
    }
    return false;
  }

  // ImageService: every image "exists" remotely; pulling records it locally.
  async listImages(): Promise<Image[]> {
    return [...this.images.values()];
  }
  async imageStatus(image: string): Promise<Image | undefined> {
    return this.images.get(image);
  }
  async pullImage(image: string): Promise<string> {
    let img = this.images.get(image);
    if (!img) {
      img = { id: `sha256:${newId()}`, repoTags: [image], repoDigests: [], size: 1_000_000 };
      this.images.set(image, img);
    }
    return img.id;
  }
  async removeImage(image: string): Promise<void> {
    this.images.delete(image);
  }
  /** Gives an image (pulled now if it was not) the user its config names: a number is a uid. */
  async setImageUser(image: string, user: number | string): Promise<void> {
    await this.pullImage(image);
    const img = this.images.get(image)!;
    if (typeof user === 'number') img.uid = user;
    else img.username = user;
  }

  async imageFsInfo(): Promise<{ mountpoint: string; usedBytes: number; inodesUsed: number }[]> {
    return [{ mountpoint: '/fake-runtime/images', usedBytes: [...this.images.values()].reduce((n, i) => n + i.size, 0), inodesUsed: this.images.size }];
  }

  // Fake containers have no processes: nothing to stream from.
  async exec(): Promise<{ url: string }> {
    throw new Error('the fake runtime cannot stream: exec needs a real container runtime');
  }

  async attach(): Promise<{ url: string }> {
    throw new Error('the fake runtime cannot stream: attach needs a real container runtime');
  }

  async portForward(): Promise<{ url: string }> {
    throw new Error('the fake runtime cannot stream: port-forward needs a real container runtime');
  }

  async listContainerStats(filter?: { podSandboxId?: string; id?: string }): Promise<ContainerStats[]> {
    const now = this.clock.now() * 1e6;
    return (await this.listContainers({ ...(filter?.podSandboxId ? { podSandboxId: filter.podSandboxId } : {}), ...(filter?.id ? { id: filter.id } : {}) }))
      .filter((c) => c.state === 'CONTAINER_RUNNING')
      .map((c) => ({ containerId: c.id, name: c.metadata.name, podSandboxId: c.podSandboxId, timestamp: now, cpuUsageCoreNanoSeconds: 0, memoryWorkingSetBytes: 0, writableLayerBytes: 0 }));
  }

  async reopenContainerLog(): Promise<void> {}

  counts(): { sandboxes: number; containers: number; running: number } {
    let running = 0;
    for (const c of this.containers.values()) if (c.state === 'CONTAINER_RUNNING') running++;
    return { sandboxes: this.sandboxes.size, containers: this.containers.size, running };
  }

  private exit(c: FakeContainer, code: number, reason: string): void {
    if (c.state === 'CONTAINER_EXITED') return;
    c.exitTimer?.cancel();
    c.state = 'CONTAINER_EXITED';
    c.exitCode = code;
    c.reason = reason;
    c.finishedAt = ms2ns(this.clock.now());
    this.revision++;
    for (const done of c.onExit.splice(0)) done();
  }

  private mustGet(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw notFound('container', id);
    return c;
  }
}

function publicContainer(c: FakeContainer): Container {
  return { id: c.id, podSandboxId: c.podSandboxId, metadata: c.metadata, image: c.image, imageRef: c.imageRef, state: c.state, createdAt: c.createdAt, labels: c.labels, annotations: c.annotations };
}

function publicStatus(c: FakeContainer): ContainerStatus {
  return { ...publicContainer(c), startedAt: c.startedAt, finishedAt: c.finishedAt, exitCode: c.exitCode, reason: c.reason, message: c.message };
}

function labelsMatch(labels: Record<string, string>, want: Record<string, string> | undefined): boolean {
  if (!want) return true;
  // for…in: no entries array per object per list (a hollow kubelet lists on every sync).
  for (const k in want) if (labels[k] !== want[k]) return false;
  return true;
}

// 64 hex digits like containerd's IDs, without 32 random bytes per sandbox and container:
// a random prefix per process keeps them apart across restarts, a counter within one.
const idPrefix = randomBytes(8).toString('hex');
let idSeq = 0;

function newId(): string {
  return idPrefix + (++idSeq).toString(16).padStart(48, '0');
}

function notFound(what: string, id: string): Error {
  return Object.assign(new Error(`${what} ${JSON.stringify(id)} not found`), { code: 'NotFound' });
}
