// Hands out IPv4 addresses of one CIDR, skipping the network, gateway (.1) and broadcast addresses.

export class IpPool {
  private base = 0;
  private size = 0;
  private next = 2;
  private readonly used = new Set<number>();
  /** The range addresses are handed out from. */
  cidr = '';

  constructor(cidr: string) {
    this.reset(cidr);
  }

  reset(cidr: string): void {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    if (!m) throw new Error(`invalid IPv4 CIDR ${JSON.stringify(cidr)}`);
    const bits = Number(m[5]);
    if (bits > 30) throw new Error(`CIDR ${cidr} is too small for pods`);
    const addr = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
    this.size = 2 ** (32 - bits);
    this.base = Math.floor(addr / this.size) * this.size;
    this.next = 2;
    this.used.clear();
    this.cidr = cidr;
  }

  allocate(): string {
    for (let tries = 0; tries < this.size; tries++) {
      const off = this.next;
      this.next = this.next + 1 >= this.size - 1 ? 2 : this.next + 1;
      if (!this.used.has(off)) {
        this.used.add(off);
        return toIp(this.base + off);
      }
    }
    throw new Error('no free pod IP left in the node CIDR');
  }

  release(ip: string): void {
    const parts = ip.split('.').map(Number);
    if (parts.length !== 4) return;
    const n = ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
    // An address of an earlier range (the node got its podCIDR later) is not ours to free.
    const off = n - this.base;
    if (off >= 0 && off < this.size) this.used.delete(off);
  }
}

function toIp(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
