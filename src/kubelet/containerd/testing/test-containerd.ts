// Test helper: a private containerd (own data dir, socket, CNI bridge and pod
// subnet) with the busybox and pause images imported and a CRI client, and a
// cleanup that leaves no sandbox, mount, bridge or file behind.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { connectCri, type CriRuntime } from '../../cri/cri-client.ts';
import { containerdMissing, startContainerd, writeCniConfig, type RunningContainerd } from '../containerd.ts';
import { BUILT_IMAGES_DIR, importImages } from '../import.ts';
import { runtimeLabels, type PodSandboxConfig } from '../../runtime/runtime.ts';

const run = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const IMAGES_DIR = BUILT_IMAGES_DIR;
export const BUSYBOX_IMAGE = 'docker.io/library/busybox:1.35';
export const PAUSE_IMAGE = 'docker.io/skiff/pause:1';

export type TestContainerd = {
  dataDir: string;
  containerd: RunningContainerd;
  cri: CriRuntime;
  bridge: string;
  podCIDR: string;
  /** Removes every sandbox, stops containerd, unmounts, deletes the bridge and the data dir. */
  cleanup(): Promise<void>;
};

/** Why these tests cannot run here, or undefined. */
export function testContainerdMissing(): string | undefined {
  const why = containerdMissing();
  if (why) return why;
  const images = ['busybox.tar', 'pause.tar'].every((f) => existsSync(join(IMAGES_DIR, f)));
  if (!images && !['/usr/bin/umoci', '/usr/bin/skopeo'].every(existsSync)) return `no test images in ${IMAGES_DIR} and no umoci/skopeo to build them`;
  return undefined;
}

/** Builds the test images (a no-op when they are fresh) and returns their tar paths. */
export async function ensureTestImages(): Promise<string[]> {
  await run(join(REPO_ROOT, 'scripts', 'build-images.sh'), [IMAGES_DIR]);
  return [join(IMAGES_DIR, 'busybox.tar'), join(IMAGES_DIR, 'pause.tar')];
}

export async function startTestContainerd(opts: { bridge: string; podCIDR: string; insecureRegistries?: string[]; log?: (line: string) => void }): Promise<TestContainerd> {
  const tars = await ensureTestImages();
  // Short path: the socket must stay under 108 bytes.
  const dataDir = mkdtempSync('/tmp/skc-');
  const log = opts.log ?? (() => {});
  let containerd: RunningContainerd | undefined;
  let cri: CriRuntime | undefined;
  const cleanup = async (): Promise<void> => {
    if (cri) {
      for (const sb of await cri.listPodSandbox().catch(() => [])) {
        await cri.stopPodSandbox(sb.id).catch(() => {});
        await cri.removePodSandbox(sb.id).catch(() => {});
      }
      cri.close();
    }
    await containerd?.stop();
    await unmountUnder(dataDir);
    await run('ip', ['link', 'del', opts.bridge]).catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    containerd = await startContainerd({ dataDir, log, cniBridge: opts.bridge, ...(opts.insecureRegistries ? { insecureRegistries: opts.insecureRegistries } : {}) });
    writeCniConfig({ dataDir, podCIDR: opts.podCIDR, bridge: opts.bridge });
    await importImages(containerd.socket, tars);
    cri = await connectCri(containerd.endpoint);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { dataDir, containerd, cri, bridge: opts.bridge, podCIDR: opts.podCIDR, cleanup };
}

/** Lazily unmounts whatever is still mounted below dir, deepest first. */
export async function unmountUnder(dir: string): Promise<void> {
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4]?.replace(/\\040/g, ' '))
    .filter((p): p is string => p !== undefined && (p === dir || p.startsWith(dir + '/')))
    .sort((a, b) => b.length - a.length);
  for (const p of points) await run('umount', ['-l', p]).catch(() => {});
}

/** A pod sandbox run by hand, as the pod worker would, its log directory under the test's data dir. */
export type TestSandbox = { id: string; config: PodSandboxConfig; labels: Record<string, string>; logDirectory: string };

export async function runTestSandbox(tc: TestContainerd, pod: { name: string; namespace?: string; uid: string }): Promise<TestSandbox> {
  const namespace = pod.namespace ?? 'default';
  const labels = { [runtimeLabels.podName]: pod.name, [runtimeLabels.podNamespace]: namespace, [runtimeLabels.podUid]: pod.uid };
  const logDirectory = join(tc.dataDir, 'pod-logs', `${namespace}_${pod.name}_${pod.uid}`);
  mkdirSync(logDirectory, { recursive: true });
  const config: PodSandboxConfig = { metadata: { name: pod.name, namespace, uid: pod.uid, attempt: 0 }, hostname: pod.name, logDirectory, labels, annotations: {} };
  return { id: await tc.cri.runPodSandbox(config), config, labels, logDirectory };
}

/** A busybox container started in the sandbox; its log is <logDirectory>/<name>/<attempt>.log. */
export async function startTestContainer(tc: TestContainerd, sb: TestSandbox, name: string, attempt: number, command: string[]): Promise<string> {
  const id = await tc.cri.createContainer(
    sb.id,
    {
      metadata: { name, attempt },
      image: { image: BUSYBOX_IMAGE },
      command,
      args: [],
      envs: [],
      labels: { ...sb.labels, [runtimeLabels.containerName]: name },
      annotations: {},
      logPath: `${name}/${attempt}.log`,
    },
    sb.config,
  );
  await tc.cri.startContainer(id);
  return id;
}
