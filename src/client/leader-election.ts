// Leader election through a coordination.k8s.io/v1 Lease, as client-go does it:
// a candidate takes the Lease once its holder stopped renewing for
// leaseDurationSeconds; the leader renews every retry period and steps down
// if it could not renew within the renew deadline (before anyone else may
// take over). Writes are compare-and-swap on the Lease's resourceVersion.

import type { KubeObject } from '../api/meta.ts';
import { resourceFor } from '../api/scheme.ts';
import { rfc3339Micro, type Clock, type Timer } from '../machinery/clock.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../machinery/status.ts';
import type { Client } from './interfaces.ts';

export type LeaderElectionOptions = {
  client: Client;
  namespace?: string;
  name: string;
  identity: string;
  clock: Clock;
  leaseDurationSeconds?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  onStartedLeading(): void;
  onStoppedLeading(): void;
  onNewLeader?(identity: string): void;
  log?: (line: string) => void;
};

export type LeaderElector = {
  isLeader(): boolean;
  /** Stops; `release` (default true) gives the Lease up so another candidate takes it at once. */
  stop(opts?: { release?: boolean }): Promise<void>;
  /** Resolves when no attempt is in flight (tests in fake time wait on this between steps). */
  settled(): Promise<void>;
};

export type LeaseSpec = {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
};
type Lease = KubeObject & { spec?: LeaseSpec };

const leases = resourceFor('coordination.k8s.io', 'v1', 'leases')!;

type Attempt = 'acquired' | 'held' | 'failed';

export function runLeaderElection(opts: LeaderElectionOptions): LeaderElector {
  const e = new Elector(opts);
  e.start();
  return e;
}

class Elector implements LeaderElector {
  private readonly o: LeaderElectionOptions;
  private readonly namespace: string;
  private readonly durationMs: number;
  private readonly renewDeadline: number;
  private readonly retryPeriod: number;
  private readonly log: (line: string) => void;
  private state: 'candidate' | 'leader' | 'stopped' = 'candidate';
  private lastRenew = 0;
  /** The last Lease spec seen and when this process first saw it: expiry is judged from it if the Lease's renewTime is unusable. */
  private observed: { record: string; at: number } | undefined;
  private knownLeader = '';
  /** Whether the last attempt wrote this identity into the Lease. */
  private holding = false;
  private timer: Timer | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(o: LeaderElectionOptions) {
    this.o = o;
    this.namespace = o.namespace ?? 'kube-system';
    this.durationMs = (o.leaseDurationSeconds ?? 15) * 1000;
    this.renewDeadline = o.renewDeadlineMs ?? 10_000;
    this.retryPeriod = o.retryPeriodMs ?? 2000;
    this.log = o.log ?? ((line) => console.error(line));
    if (this.renewDeadline >= this.durationMs) throw new Error('leader election: the renew deadline must be shorter than the lease duration');
  }

  start(): void {
    this.inFlight = this.tick();
  }

  isLeader(): boolean {
    return this.state === 'leader';
  }

  settled(): Promise<void> {
    return this.inFlight;
  }

  async stop(opts: { release?: boolean } = {}): Promise<void> {
    if (this.state === 'stopped') return;
    const wasLeader = this.state === 'leader';
    this.state = 'stopped';
    this.timer?.cancel();
    await this.inFlight;
    if (this.holding && opts.release !== false) await this.release();
    if (wasLeader) this.o.onStoppedLeading();
  }

  private schedule(ms: number): void {
    if (this.state === 'stopped') return;
    this.timer = this.o.clock.setTimeout(() => {
      this.inFlight = this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    if (this.state === 'stopped') return;
    const result = await this.tryAcquireOrRenew();
    this.holding = result === 'acquired';
    if ((this.state as string) === 'stopped') return;
    const now = this.o.clock.now();
    if (this.state === 'candidate') {
      if (result === 'acquired') {
        this.state = 'leader';
        this.lastRenew = now;
        this.log(`leader election ${this.namespace}/${this.o.name}: ${this.o.identity} became leader`);
        this.o.onStartedLeading();
        this.schedule(this.retryPeriod);
      } else {
        // Jitter spreads candidates that started together.
        this.schedule(this.retryPeriod * (1 + Math.random() * 0.2));
      }
      return;
    }
    if (result === 'acquired') {
      this.lastRenew = now;
    } else if (result === 'held' || now - this.lastRenew >= this.renewDeadline) {
      this.state = 'candidate';
      this.log(`leader election ${this.namespace}/${this.o.name}: ${this.o.identity} lost the lease`);
      this.o.onStoppedLeading();
    }
    this.schedule(this.retryPeriod);
  }

  private async tryAcquireOrRenew(): Promise<Attempt> {
    const now = this.o.clock.now();
    const nowMicro = rfc3339Micro(now);
    const mine = (spec: LeaseSpec): LeaseSpec => ({
      holderIdentity: this.o.identity,
      leaseDurationSeconds: this.durationMs / 1000,
      acquireTime: spec.holderIdentity === this.o.identity && spec.acquireTime ? spec.acquireTime : nowMicro,
      renewTime: nowMicro,
      leaseTransitions: (spec.leaseTransitions ?? 0) + (spec.holderIdentity === this.o.identity ? 0 : 1),
    });
    try {
      let lease: Lease;
      try {
        lease = await this.o.client.get<Lease>(leases, this.namespace, this.o.name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        const created: Lease = {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.o.name, namespace: this.namespace },
          spec: { ...mine({}), leaseTransitions: 0 },
        };
        await this.o.client.create(leases, this.namespace, created);
        this.observe(created.spec!, now);
        return 'acquired';
      }
      const spec = lease.spec ?? {};
      this.observe(spec, now);
      const holder = spec.holderIdentity ?? '';
      if (holder && holder !== this.o.identity && !this.expired(spec, now)) return 'held';
      const updated = await this.o.client.update<Lease>(leases, this.namespace, { ...lease, spec: mine(spec) });
      this.observe(updated.spec ?? {}, now);
      return 'acquired';
    } catch (err) {
      if (isConflict(err) || isAlreadyExists(err)) return 'failed'; // another candidate wrote first
      this.log(`leader election ${this.namespace}/${this.o.name}: ${(err as Error)?.message ?? String(err)}`);
      return 'failed';
    }
  }

  private observe(spec: LeaseSpec, now: number): void {
    const record = JSON.stringify([spec.holderIdentity, spec.renewTime, spec.acquireTime, spec.leaseDurationSeconds]);
    if (this.observed?.record !== record) this.observed = { record, at: now };
    const holder = spec.holderIdentity ?? '';
    if (holder && holder !== this.knownLeader) {
      this.knownLeader = holder;
      this.o.onNewLeader?.(holder);
    }
  }

  /** From the Lease's renewTime when it is sane, else from when this process saw the Lease last change. */
  private expired(spec: LeaseSpec, now: number): boolean {
    const duration = (spec.leaseDurationSeconds ?? this.durationMs / 1000) * 1000;
    const renewed = spec.renewTime ? Date.parse(spec.renewTime) : NaN;
    const from = Number.isFinite(renewed) && renewed <= now ? renewed : (this.observed?.at ?? now);
    return now >= from + duration;
  }

  /** Gives the Lease up: empty holder, so candidates need not wait for it to expire. */
  private async release(): Promise<void> {
    try {
      const lease = await this.o.client.get<Lease>(leases, this.namespace, this.o.name);
      if (lease.spec?.holderIdentity !== this.o.identity) return;
      const now = rfc3339Micro(this.o.clock.now());
      await this.o.client.update(leases, this.namespace, {
        ...lease,
        spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now },
      });
    } catch (err) {
      this.log(`leader election ${this.namespace}/${this.o.name}: release failed: ${(err as Error)?.message ?? String(err)}`);
    }
  }
}
