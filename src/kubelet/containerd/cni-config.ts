// The node's CNI network: one bridge with host-local addresses from the
// node's pod CIDR, port mappings (hostPort) and loopback.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerdPaths } from './containerd-config.ts';

export const CNI_CONFLIST = '10-skiff.conflist';

export function renderCniConfig(podCIDR: string, bridge: string, ipamDir: string): object {
  return {
    cniVersion: '1.0.0',
    name: 'skiff',
    plugins: [
      {
        type: 'bridge',
        bridge,
        isGateway: true,
        ipMasq: true,
        hairpinMode: true,
        ipam: { type: 'host-local', ranges: [[{ subnet: podCIDR }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: ipamDir },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
      { type: 'loopback' },
    ],
  };
}

/** Writes D/agent/cni/10-skiff.conflist for this pod CIDR; containerd picks it up without a restart. */
export function writeCniConfig(opts: { dataDir: string; podCIDR: string; bridge?: string }): void {
  if (!/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(opts.podCIDR)) throw new Error(`pod CIDR ${JSON.stringify(opts.podCIDR)} is not an IPv4 CIDR like 10.42.0.0/24`);
  const bridge = opts.bridge ?? 'skiff0';
  // Linux interface names are at most 15 bytes.
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(bridge)) throw new Error(`CNI bridge name ${JSON.stringify(bridge)} must be 1-15 letters, digits, '-', '_' or '.'`);
  const paths = containerdPaths(opts.dataDir);
  mkdirSync(paths.cniConfDir, { recursive: true });
  mkdirSync(paths.cniIpamDir, { recursive: true });
  const file = join(paths.cniConfDir, CNI_CONFLIST);
  // Rename into place: containerd watches the directory and must not read half a file.
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(renderCniConfig(opts.podCIDR, bridge, paths.cniIpamDir), null, 2) + '\n');
  renameSync(tmp, file);
}
