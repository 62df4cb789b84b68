// containerd's config.toml for a node-owned containerd: its own root, state
// and socket under the agent's data dir, so several can run on one machine.

import { join } from 'node:path';

export type ContainerdPaths = {
  dir: string;
  config: string;
  root: string;
  state: string;
  socket: string;
  log: string;
  pidFile: string;
  certsDir: string;
  cniConfDir: string;
  cniIpamDir: string;
};

/** Where everything lives for the agent data dir D/agent. */
export function containerdPaths(dataDir: string): ContainerdPaths {
  const dir = join(dataDir, 'containerd');
  return {
    dir,
    config: join(dir, 'config.toml'),
    root: join(dir, 'root'),
    state: join(dir, 'state'),
    socket: join(dir, 'containerd.sock'),
    log: join(dir, 'containerd.log'),
    pidFile: join(dir, 'containerd.pid'),
    certsDir: join(dir, 'certs.d'),
    cniConfDir: join(dataDir, 'cni'),
    cniIpamDir: join(dataDir, 'cni-ipam'),
  };
}

export const CNI_BIN_DIR = '/usr/lib/cni';

// TOML basic strings share JSON's escapes for everything a path can hold.
const str = (s: string): string => JSON.stringify(s);

export function renderContainerdConfig(paths: ContainerdPaths, sandboxImage: string, cniBinDir = CNI_BIN_DIR): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `# Written by skiff at every agent start; edits are overwritten.
version = 2
root = ${str(paths.root)}
state = ${str(paths.state)}
# Snapshotters this machine cannot use only slow the start and clutter the log.
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]

[grpc]
  address = ${str(paths.socket)}

[ttrpc]
  address = ""

[${cri}]
  sandbox_image = ${str(sandboxImage)}
  # Writing the sandbox's oom_score_adj (-998) is refused here and runc then fails obscurely.
  restrict_oom_score_adj = true
  enable_selinux = false
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  tolerate_missing_hugetlb_controller = true

  [${cri}.cni]
    bin_dir = ${str(cniBinDir)}
    conf_dir = ${str(paths.cniConfDir)}
    max_conf_num = 1

  [${cri}.containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"

  [${cri}.containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"

  [${cri}.containerd.runtimes.runc.options]
    SystemdCgroup = false

  [${cri}.registry]
    config_path = ${str(paths.certsDir)}
`;
}
