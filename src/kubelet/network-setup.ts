// The pod network of a real node: wait for the podCIDR the controller
// manager's node IPAM assigns, then write the CNI config for it. Until the
// config exists containerd cannot give sandboxes an address, so the node
// reports Ready=False like a kubelet whose CNI plugin is not initialized.

import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import type { Client } from '../client/interfaces.ts';
import type { Clock } from '../machinery/clock.ts';
import type { Node } from './types.ts';

const nodes = resourceFor('', 'v1', 'nodes')!;

export type WaitForPodCIDROptions = {
  client: Client;
  nodeName: string;
  clock: Clock;
  log(line: string): void;
  pollMs?: number;
  /** Says how long it has waited every this often. */
  reportEveryMs?: number;
  signal?: AbortSignal;
};

/** Resolves with spec.podCIDR once set; polls rather than watches so a restarted API server needs no special handling. */
export async function waitForPodCIDR(opts: WaitForPodCIDROptions): Promise<string> {
  const { client, nodeName, clock } = opts;
  const started = clock.now();
  let reported = started;
  for (;;) {
    if (opts.signal?.aborted) throw new Error(`stopped while waiting for node ${nodeName}'s podCIDR`);
    try {
      const node = (await client.get<KubeObject>(nodes, undefined, nodeName)) as unknown as Node;
      const cidr = node.spec?.podCIDR ?? node.spec?.podCIDRs?.[0];
      if (cidr) return cidr;
    } catch (e) {
      opts.log(`node ${nodeName}: reading the Node for its podCIDR failed: ${(e as Error).message}`);
    }
    const now = clock.now();
    if (now - reported >= (opts.reportEveryMs ?? 10_000)) {
      reported = now;
      opts.log(
        `node ${nodeName}: still no spec.podCIDR after ${Math.round((now - started) / 1000)}s: is the controller manager running with node IPAM (--cluster-cidr)?`,
      );
    }
    await new Promise<void>((r) => clock.setTimeout(r, opts.pollMs ?? 200));
  }
}
