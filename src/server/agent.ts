// The agent: what makes this machine a node. containerd (started and owned
// here, or an existing CRI endpoint), the CRI client, images, the kubelet
// server, the Node with the machine's real capacity and health, the pod
// network once node IPAM gives a podCIDR, the kubelet and static pods.
// Progress is printed phase by phase.
//
// On stop the kubelet and containerd stop but pods keep running: like k3s,
// the containerd-shims survive, and a restarted agent adopts the containers.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import { createComponentContext } from '../client/component-context.ts';
import { RestClient } from '../client/rest-client.ts';
import { realClock, type Clock } from '../machinery/clock.ts';
import { containerdMissing, startContainerd, writeCniConfig, type RunningContainerd } from '../kubelet/containerd/containerd.ts';
import { connectCri } from '../kubelet/cri/cri-client.ts';
import { ContainerLogManager, type ContainerLogOptions } from '../kubelet/container-log-manager.ts';
import { cniNotReadyMessage, defaultNodeLabels, type NodeConfig } from '../kubelet/node-status.ts';
import { defaultNodeIP, defaultNodeName, readMachineInfo } from '../kubelet/machine/machine-info.ts';
import { waitForPodCIDR } from '../kubelet/network-setup.ts';
import { startKubeletServer } from '../kubelet/server/kubelet-server.ts';
import { startKubelet } from '../kubelet/start-kubelet.ts';
import { createVolumeManager } from '../kubelet/volumes/volume-manager.ts';
import { startLocalReclaimer } from '../kubelet/volumes/local-reclaimer.ts';
import { MirrorStatusWriter } from '../kubelet/static-pods/mirror-status-writer.ts';
import { readManifests } from '../kubelet/static-pods/manifests.ts';
import { StaticPods } from '../kubelet/static-pods/static-pods.ts';
import type { Pod } from '../kubelet/types.ts';
import { ensureBuiltImages, importNodeImages } from './agent-images.ts';
import { startNodeMonitor } from './agent-node-monitor.ts';

const pods = resourceFor('', 'v1', 'pods')!;

export const localStorageAnnotation = 'skiff.dev/local-storage-path';

export type AgentOptions = {
  /** API server URL. */
  server: string;
  token: string;
  /** D: the agent keeps its state under D/agent. */
  dataDir: string;
  nodeName?: string;
  nodeIP?: string;
  /** Default 10250; 0 picks a free port. */
  kubeletPort?: number;
  /** An existing CRI runtime instead of our own containerd. */
  containerRuntimeEndpoint?: string;
  cniBridge?: string;
  insecureRegistries?: string[];
  /** Pull mirrors per registry host, tried before the registry itself. */
  mirrors?: Record<string, string[]>;
  /** Labels besides the kubelet's own (e.g. the control-plane role of a server's node). */
  labels?: Record<string, string>;
  log: (line: string) => void;
  clock?: Clock;
  /** Directories of image archives to import besides D/agent/images; default <repo>/build/images. */
  imageDirs?: string[];
  /** Container log rotation (containerLogMaxSize, containerLogMaxFiles, containerLogMonitorInterval). */
  containerLogs?: ContainerLogOptions;
};

export type RunningAgent = { nodeName: string; kubeletPort: number; runtimeEndpoint: string; stop(): Promise<void> };

export async function startAgent(opts: AgentOptions): Promise<RunningAgent> {
  const clock = opts.clock ?? realClock;
  const started = performance.now();
  const phase = (what: string) => opts.log(`[${((performance.now() - started) / 1000).toFixed(2)}s] agent: ${what}`);
  const agentDir = join(opts.dataDir, 'agent');
  const dirs = { kubelet: join(agentDir, 'kubelet'), logs: join(agentDir, 'pod-logs'), manifests: join(agentDir, 'pod-manifests'), storage: join(agentDir, 'storage') };
  for (const d of [...Object.values(dirs), join(agentDir, 'images')]) mkdirSync(d, { recursive: true });
  const nodeName = opts.nodeName ?? defaultNodeName();
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch((e: unknown) => opts.log(`agent: stopping: ${(e as Error).message}`));
    cleanups.length = 0;
  };
  try {
    let containerd: RunningContainerd | undefined;
    if (!opts.containerRuntimeEndpoint) {
      const missing = containerdMissing();
      if (missing) {
        throw new Error(`cannot run this node's containerd: ${missing}; or point --container-runtime-endpoint at a running CRI runtime, or run \`skiff server --disable-agent\` for the control plane alone`);
      }
      ensureBuiltImages(opts.log);
      containerd = await startContainerd({
        dataDir: agentDir,
        log: opts.log,
        ...(opts.cniBridge ? { cniBridge: opts.cniBridge } : {}),
        ...(opts.insecureRegistries?.length ? { insecureRegistries: opts.insecureRegistries } : {}),
        ...(opts.mirrors ? { mirrors: opts.mirrors } : {}),
      });
      cleanups.push(() => containerd!.stop());
      phase(`containerd ready (v${containerd.version}) at ${containerd.endpoint}`);
    }
    const endpoint = containerd?.endpoint ?? opts.containerRuntimeEndpoint!;
    const cri = await connectCri(endpoint);
    cleanups.push(() => cri.close());
    const v = await cri.version();
    // Debian's package suffix (`1.6.20~ds1`) is not part of the runtime's version.
    const runtimeVersion = `${v.runtimeName}://${v.runtimeVersion.replace(/~.*$/, '')}`;
    phase(`CRI connected: ${runtimeVersion} (API ${v.runtimeApiVersion})`);

    const socket = endpoint.replace(/^unix:\/\//, '');
    const imported = await importNodeImages({ socket, agentDir, images: cri, log: opts.log, ...(opts.imageDirs ? { extraDirs: opts.imageDirs } : {}) });
    phase(imported ? `${imported} image archive(s) imported` : 'images already present');

    const client = new RestClient({ server: opts.server, token: opts.token, userAgent: `kubelet/v1.32.0 (skiff) ${nodeName}` });
    cleanups.push(() => client.close());
    const ctx = createComponentContext(client, clock, opts.log);
    cleanups.push(() => ctx.informers.stop());
    const podInformer = ctx.informers.informerFor<KubeObject>(pods, { fieldSelector: `spec.nodeName=${nodeName}` });

    let staticPods: StaticPods | undefined;
    const podView = (namespace: string, name: string): Pod | undefined =>
      staticPods?.get(namespace, name) ?? (podInformer.lister.get(namespace, name) as unknown as Pod | undefined);
    const server = await startKubeletServer({
      host: '0.0.0.0',
      port: opts.kubeletPort ?? 10250,
      token: opts.token,
      runtime: cri,
      images: cri,
      nodeName,
      log: opts.log,
      pod: podView,
      pods: () => [...(staticPods?.list() ?? []), ...(podInformer.lister.list() as unknown as Pod[])],
      clock,
    }).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      throw new Error(`kubelet port ${opts.kubeletPort ?? 10250} is already in use (another kubelet or agent?): pick another with --kubelet-port, or 0 for a free one`);
    });
    cleanups.push(() => server.close());
    phase(`kubelet server listening on port ${server.port}`);

    const machine = readMachineInfo(agentDir);
    let cfg: NodeConfig = {
      name: nodeName,
      capacity: { cpu: String(machine.cpu), memory: `${Math.floor(machine.memoryBytes / 1024)}Ki`, pods: '110', 'ephemeral-storage': `${Math.floor(machine.ephemeralStorageBytes / 1024)}Ki` },
      labels: { ...defaultNodeLabels(nodeName), ...opts.labels },
      annotations: { [localStorageAnnotation]: dirs.storage },
      internalIP: opts.nodeIP ?? defaultNodeIP(),
      kubeletPort: server.port,
      osImage: machine.osImage,
      kernelVersion: machine.kernelVersion,
      containerRuntimeVersion: runtimeVersion,
      machineID: machine.machineID,
      bootID: machine.bootID,
      networkReady: false,
      notReady: { reason: 'KubeletNotReady', message: cniNotReadyMessage },
    };
    const volumes = createVolumeManager({ client, nodeName, clock, log: opts.log, rootDir: dirs.kubelet });
    cleanups.push(() => volumes.stop());
    const statusWriter = new MirrorStatusWriter(client, opts.log, 8);
    const kubelet = await startKubelet({
      ctx,
      node: cfg,
      runtime: cri,
      images: cri,
      runtimeName: v.runtimeName,
      statusWriter,
      kubeletOptions: {
        sandbox: { nodeName, logRoot: dirs.logs },
        rootDir: dirs.kubelet,
        volumes,
      },
      keepPodUids: () => readManifests(dirs.manifests, nodeName).flatMap((m) => ('error' in m ? [] : [m.pod.metadata.uid ?? ''])),
      mirrorPods: {
        onAdd: (p) => staticPods?.mirrorHandlers.onAdd?.(p),
        onUpdate: (o, p) => staticPods?.mirrorHandlers.onUpdate?.(o, p),
        onDelete: (p) => staticPods?.mirrorHandlers.onDelete?.(p),
      },
      beforePods: async (node, heartbeat) => {
        phase(`node ${nodeName} registered (${cfg.capacity.cpu} cpu, ${cfg.capacity.memory} memory, InternalIP ${cfg.internalIP}); waiting for its podCIDR`);
        const podCIDR = await waitForPodCIDR({ client, nodeName, clock, log: opts.log });
        writeCniConfig({ dataDir: agentDir, podCIDR, ...(opts.cniBridge ? { bridge: opts.cniBridge } : {}) });
        const { notReady: _n, ...rest } = cfg;
        cfg = { ...rest, podCIDR, networkReady: true };
        heartbeat.update(cfg);
        await heartbeat.reportNow(nodeName);
        phase(`pod network ${podCIDR} configured${opts.cniBridge ? ` on bridge ${opts.cniBridge}` : ''}; node ${nodeName} Ready`);
        staticPods = new StaticPods({
          dir: dirs.manifests,
          nodeName,
          nodeUid: node.metadata.uid ?? '',
          client,
          clock,
          log: opts.log,
          kubelet: { handlePod: (p) => kubelet.kubelet.handlePod(p), handlePodDeleted: (p) => kubelet.kubelet.handlePodDeleted(p) },
          onMirror: (k) => statusWriter.resend(k),
          onRemoved: (k) => statusWriter.drop(k),
        });
        statusWriter.setLookup(staticPods);
      },
    });
    cleanups.push(() => kubelet.stop());
    const logs = new ContainerLogManager(cri, clock, opts.log, opts.containerLogs);
    logs.start();
    cleanups.push(() => logs.stop());
    staticPods!.start();
    cleanups.push(() => staticPods?.stop());
    const monitor = startNodeMonitor({ dataDir: agentDir, images: cri, clock, log: opts.log, runtimeStatus: () => cri.status(), get: () => cfg, set: (next) => {
      cfg = next;
      kubelet.heartbeat.update(next);
      // Pressure and images matter to the scheduler now, not at the next lease tick.
      kubelet.heartbeat.reportNow(nodeName).catch((e: unknown) => opts.log(`node ${nodeName}: status report failed: ${(e as Error).message}`));
    } });
    cleanups.push(() => monitor.stop());
    // Local persistent volumes of this node whose claims are gone: their directories are removed here.
    const reclaimer = startLocalReclaimer({ client, nodeName, storagePath: dirs.storage, clock, log: opts.log });
    cleanups.push(() => reclaimer.stop());
    phase('kubelet running');
    return { nodeName, kubeletPort: server.port, runtimeEndpoint: endpoint, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
