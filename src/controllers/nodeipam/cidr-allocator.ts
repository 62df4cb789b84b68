// Pod CIDRs for nodes: the cluster CIDR cut into fixed-size blocks, handed out
// lowest first. The set of used blocks is rebuilt from the nodes' spec.podCIDR
// after a restart, so nothing is handed out twice.

export type Cidr = { base: number; prefix: number };

/** Parses `10.42.0.0/16`; throws on anything that is not an IPv4 CIDR. */
export function parseCidr(s: string): Cidr {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s.trim());
  if (!m) throw new Error(`invalid CIDR ${JSON.stringify(s)}: want an IPv4 a.b.c.d/n`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`invalid CIDR ${JSON.stringify(s)}`);
  const ip = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: (ip & mask) >>> 0, prefix };
}

export function formatCidr(c: Cidr): string {
  const b = c.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`;
}

export class CidrAllocator {
  readonly cluster: Cidr;
  readonly maskSize: number;
  readonly capacity: number;
  private readonly used = new Set<number>();
  private next = 0;

  constructor(clusterCIDR: string, nodeMaskSize: number) {
    this.cluster = parseCidr(clusterCIDR);
    if (!Number.isInteger(nodeMaskSize) || nodeMaskSize < this.cluster.prefix || nodeMaskSize > 32) {
      throw new Error(`node CIDR mask size ${nodeMaskSize} must be between the cluster prefix /${this.cluster.prefix} and /32`);
    }
    this.maskSize = nodeMaskSize;
    this.capacity = 2 ** (nodeMaskSize - this.cluster.prefix);
  }

  /** Index of a block inside the cluster CIDR, or undefined when `cidr` is not one of its blocks. */
  private indexOf(cidr: string): number | undefined {
    let c: Cidr;
    try {
      c = parseCidr(cidr);
    } catch {
      return undefined;
    }
    if (c.prefix !== this.maskSize) return undefined;
    const offset = c.base - this.cluster.base;
    const size = 2 ** (32 - this.maskSize);
    if (offset < 0 || offset % size !== 0 || offset / size >= this.capacity) return undefined;
    return offset / size;
  }

  /** Records a block already in use (read back from a node); false when it is outside the cluster CIDR. */
  occupy(cidr: string): boolean {
    const i = this.indexOf(cidr);
    if (i === undefined) return false;
    this.used.add(i);
    return true;
  }

  release(cidr: string): void {
    const i = this.indexOf(cidr);
    if (i === undefined) return;
    this.used.delete(i);
    if (i < this.next) this.next = i;
  }

  /** The lowest free block, or undefined when the cluster CIDR is full. */
  allocate(): string | undefined {
    for (let i = this.next; i < this.capacity; i++) {
      if (this.used.has(i)) continue;
      this.used.add(i);
      this.next = i + 1;
      return formatCidr({ base: (this.cluster.base + i * 2 ** (32 - this.maskSize)) >>> 0, prefix: this.maskSize });
    }
    return undefined;
  }

  get allocated(): number {
    return this.used.size;
  }
}
