// CRI v1 over gRPC (unix socket): the real-runtime implementation of the
// kubelet's RuntimeService and ImageService.

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import type {
  AttachRequest,
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStats,
  ContainerStatus,
  ExecRequest,
  ExecSyncResponse,
  Image,
  ImageService,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatus,
  PortForwardRequest,
  RuntimeService,
} from '../runtime/runtime.ts';
import {
  containerConfigToCri,
  containerFilterToCri,
  containerFromCri,
  containerStatusFromCri,
  imageFromCri,
  sandboxConfigToCri,
  sandboxFilterToCri,
  sandboxFromCri,
  sandboxStatusFromCri,
  type Msg,
} from './cri-convert.ts';
import { CriError } from './cri-error.ts';

export { CriError, isCriNotFound } from './cri-error.ts';

type Unary = (req: Msg, meta: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: Msg) => void) => grpc.ClientUnaryCall;
type GrpcClient = grpc.Client & Record<string, Unary>;
type ClientCtor = new (address: string, creds: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => GrpcClient;

let loaded: { runtime: ClientCtor; image: ClientCtor } | undefined;

function services(): { runtime: ClientCtor; image: ClientCtor } {
  if (loaded) return loaded;
  const def = protoLoader.loadSync(fileURLToPath(new URL('./api.proto', import.meta.url)), {
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: true,
    arrays: true,
    objects: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { runtime: { v1: { RuntimeService: ClientCtor; ImageService: ClientCtor } } };
  loaded = { runtime: pkg.runtime.v1.RuntimeService, image: pkg.runtime.v1.ImageService };
  return loaded;
}

const CALL_TIMEOUT_MS = 2 * 60_000;
const PULL_TIMEOUT_MS = 15 * 60_000;
// Messages larger than grpc's 4 MiB default happen with many containers or big ExecSync output.
const MAX_MESSAGE = 16 << 20;

export class CriRuntime implements RuntimeService, ImageService {
  readonly endpoint: string;
  private readonly rt: GrpcClient;
  private readonly img: GrpcClient;
  /** ContainerStatus does not carry the sandbox id; remembered from create/list. */
  private readonly sandboxOf = new Map<string, string>();

  constructor(endpoint: string) {
    this.endpoint = endpoint;
    const { runtime, image } = services();
    const opts: grpc.ChannelOptions = { 'grpc.max_receive_message_length': MAX_MESSAGE, 'grpc.max_send_message_length': MAX_MESSAGE };
    this.rt = new runtime(endpoint, grpc.credentials.createInsecure(), opts);
    this.img = new image(endpoint, grpc.credentials.createInsecure(), { ...opts, channelOverride: this.rt.getChannel() } as grpc.ChannelOptions);
  }

  /** Resolves once the channel is connected, rejects after timeoutMs. */
  waitForReady(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => this.rt.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(err) : resolve())));
  }

  close(): void {
    this.rt.close();
    this.img.close();
  }

  private call(client: GrpcClient, method: string, req: Msg, timeoutMs = CALL_TIMEOUT_MS): Promise<Msg> {
    return new Promise((resolve, reject) => {
      const fn = client[method];
      if (!fn) return reject(new Error(`CRI method ${method} is not in api.proto`));
      fn.call(client, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) reject(new CriError(method, err));
        else resolve(res);
      });
    });
  }

  async version(): Promise<{ runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }> {
    const r = await this.call(this.rt, 'Version', { version: 'v1' });
    return { runtimeName: r['runtimeName'], runtimeVersion: r['runtimeVersion'], runtimeApiVersion: r['runtimeApiVersion'] };
  }

  /** The runtime's conditions (RuntimeReady, NetworkReady) as the node status needs them. */
  async status(): Promise<{ type: string; status: boolean; reason: string; message: string }[]> {
    const r = await this.call(this.rt, 'Status', { verbose: false });
    return ((r['status']?.['conditions'] as Msg[] | undefined) ?? []).map((c) => ({ type: c['type'], status: c['status'], reason: c['reason'], message: c['message'] }));
  }

  async runPodSandbox(config: PodSandboxConfig, runtimeHandler?: string): Promise<string> {
    const r = await this.call(this.rt, 'RunPodSandbox', { config: sandboxConfigToCri(config), runtimeHandler: runtimeHandler ?? '' });
    return r['podSandboxId'];
  }

  async stopPodSandbox(podSandboxId: string): Promise<void> {
    await this.call(this.rt, 'StopPodSandbox', { podSandboxId });
  }

  async removePodSandbox(podSandboxId: string): Promise<void> {
    await this.call(this.rt, 'RemovePodSandbox', { podSandboxId });
    for (const [c, sb] of this.sandboxOf) if (sb === podSandboxId) this.sandboxOf.delete(c);
  }

  async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    const r = await this.call(this.rt, 'PodSandboxStatus', { podSandboxId, verbose: false });
    return sandboxStatusFromCri(r['status']);
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const r = await this.call(this.rt, 'ListPodSandbox', withFilter(sandboxFilterToCri(filter)));
    return ((r['items'] as Msg[] | undefined) ?? []).map(sandboxFromCri);
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const r = await this.call(this.rt, 'CreateContainer', { podSandboxId, config: containerConfigToCri(config), sandboxConfig: sandboxConfigToCri(sandboxConfig) });
    const id: string = r['containerId'];
    this.sandboxOf.set(id, podSandboxId);
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    await this.call(this.rt, 'StartContainer', { containerId });
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    await this.call(this.rt, 'StopContainer', { containerId, timeout: timeoutSeconds }, CALL_TIMEOUT_MS + timeoutSeconds * 1000);
  }

  async removeContainer(containerId: string): Promise<void> {
    await this.call(this.rt, 'RemoveContainer', { containerId });
    this.sandboxOf.delete(containerId);
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const r = await this.call(this.rt, 'ListContainers', withFilter(containerFilterToCri(filter)));
    const list = ((r['containers'] as Msg[] | undefined) ?? []).map(containerFromCri);
    for (const c of list) this.sandboxOf.set(c.id, c.podSandboxId);
    return list;
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    const r = await this.call(this.rt, 'ContainerStatus', { containerId, verbose: false });
    let sandbox = this.sandboxOf.get(containerId);
    if (sandbox === undefined) sandbox = (await this.listContainers({ id: containerId }))[0]?.podSandboxId ?? '';
    return containerStatusFromCri(r['status'], sandbox);
  }

  async execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<ExecSyncResponse> {
    // The runtime enforces the command's timeout; the call deadline only guards against a hung runtime.
    const deadline = timeoutSeconds > 0 ? timeoutSeconds * 1000 + 10_000 : CALL_TIMEOUT_MS;
    const r = await this.call(this.rt, 'ExecSync', { containerId, cmd, timeout: timeoutSeconds }, deadline);
    return { stdout: bytes(r['stdout']), stderr: bytes(r['stderr']), exitCode: r['exitCode'] ?? 0 };
  }

  async exec(req: ExecRequest): Promise<{ url: string }> {
    const r = await this.call(this.rt, 'Exec', { containerId: req.containerId, cmd: req.cmd, tty: req.tty, stdin: req.stdin, stdout: req.stdout, stderr: req.stderr });
    return { url: r['url'] };
  }

  async attach(req: AttachRequest): Promise<{ url: string }> {
    const r = await this.call(this.rt, 'Attach', { containerId: req.containerId, tty: req.tty, stdin: req.stdin, stdout: req.stdout, stderr: req.stderr });
    return { url: r['url'] };
  }

  async portForward(req: PortForwardRequest): Promise<{ url: string }> {
    const r = await this.call(this.rt, 'PortForward', { podSandboxId: req.podSandboxId, port: req.port });
    return { url: r['url'] };
  }

  async listContainerStats(filter?: { podSandboxId?: string; id?: string }): Promise<ContainerStats[]> {
    const r = await this.call(this.rt, 'ListContainerStats', withFilter(filter ? { id: filter.id ?? '', podSandboxId: filter.podSandboxId ?? '' } : undefined));
    const stats = (r['stats'] as Msg[] | undefined) ?? [];
    // Stats name the container but not its sandbox: fill from the container list when unknown.
    if (stats.some((s) => !this.sandboxOf.has(s['attributes']?.['id']))) await this.listContainers();
    return stats.map((s) => {
      const id: string = s['attributes']?.['id'] ?? '';
      return {
        containerId: id,
        name: s['attributes']?.['metadata']?.['name'] ?? '',
        podSandboxId: this.sandboxOf.get(id) ?? '',
        timestamp: Number(s['cpu']?.['timestamp'] ?? s['memory']?.['timestamp'] ?? 0),
        cpuUsageCoreNanoSeconds: Number(s['cpu']?.['usageCoreNanoSeconds']?.['value'] ?? 0),
        memoryWorkingSetBytes: Number(s['memory']?.['workingSetBytes']?.['value'] ?? 0),
        writableLayerBytes: Number(s['writableLayer']?.['usedBytes']?.['value'] ?? 0),
      };
    });
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    await this.call(this.rt, 'ReopenContainerLog', { containerId });
  }

  async listImages(): Promise<Image[]> {
    const r = await this.call(this.img, 'ListImages', {});
    return ((r['images'] as Msg[] | undefined) ?? []).map(imageFromCri);
  }

  async imageStatus(image: string): Promise<Image | undefined> {
    const r = await this.call(this.img, 'ImageStatus', { image: { image }, verbose: false });
    const i = r['image'] as Msg | null | undefined;
    return i && i['id'] ? imageFromCri(i) : undefined;
  }

  async pullImage(image: string, sandboxConfig?: PodSandboxConfig): Promise<string> {
    const req: Msg = { image: { image } };
    if (sandboxConfig) req['sandboxConfig'] = sandboxConfigToCri(sandboxConfig);
    const r = await this.call(this.img, 'PullImage', req, PULL_TIMEOUT_MS);
    return r['imageRef'];
  }

  async removeImage(image: string): Promise<void> {
    await this.call(this.img, 'RemoveImage', { image: { image } });
  }

  async imageFsInfo(): Promise<{ mountpoint: string; usedBytes: number; inodesUsed: number }[]> {
    const r = await this.call(this.img, 'ImageFsInfo', {});
    return ((r['imageFilesystems'] as Msg[] | undefined) ?? []).map((f) => ({
      mountpoint: f['fsId']?.['mountpoint'] ?? '',
      usedBytes: Number(f['usedBytes']?.['value'] ?? 0),
      inodesUsed: Number(f['inodesUsed']?.['value'] ?? 0),
    }));
  }
}

const withFilter = (filter: Msg | undefined): Msg => (filter ? { filter } : {});
const bytes = (b: unknown): string => (Buffer.isBuffer(b) ? b.toString('utf8') : typeof b === 'string' ? b : '');

/**
 * Connects to a CRI runtime (e.g. `unix:///var/lib/skiff/agent/containerd/containerd.sock`)
 * and checks it serves CRI v1.
 */
export async function connectCri(endpoint: string, opts: { timeoutMs?: number } = {}): Promise<CriRuntime> {
  const target = endpoint.startsWith('/') ? `unix://${endpoint}` : endpoint;
  const rt = new CriRuntime(target);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  try {
    await rt.waitForReady(timeoutMs);
    await rt.version();
  } catch (err) {
    rt.close();
    const why = err instanceof CriError && err.code === grpc.status.UNIMPLEMENTED ? 'it does not serve CRI v1 (runtime.v1.RuntimeService)' : (err as Error).message;
    throw new Error(`cannot connect to the container runtime at ${target}: ${why}; is containerd running there (see its log), or pass the right --container-runtime-endpoint?`, { cause: err });
  }
  return rt;
}
