// The scheduler: pops pending pods, runs one synchronous scheduling cycle per pod on
// a snapshot (filter, score, assume), and binds asynchronously, several binds in
// flight, so API latency does not hold up the next cycle.

import { resourceFor } from '../api/scheme.ts';
import type { ComponentContext, Informer } from '../client/interfaces.ts';
import type { KubeObject } from '../api/meta.ts';
import { SchedulerCache } from './cache/cache.ts';
import { Snapshot } from './cache/snapshot.ts';
import { resolveOptions, type SchedulerOptions } from './config.ts';
import { nodeHandlers, podHandlers } from './event-handlers.ts';
import { NodeFinder, type FitResult } from './find-nodes.ts';
import { fullFitError } from './fit-error.ts';
import { Framework } from './framework/framework.ts';
import type { ClusterEvent, CycleState, Handle } from './framework/interface.ts';
import { newPodInfo, type PodInfo } from './framework/node-info.ts';
import { Code, type MaybeStatus, type Status } from './framework/status.ts';
import { defaultSpreadSelector, priorityOf, type OwnerListers } from './pod-owners.ts';
import { inTreePlugins } from './plugins/registry.ts';
import { Nominator } from './queue/nominator.ts';
import { SchedulingQueue, type QueuedPodInfo } from './queue/scheduling-queue.ts';
import { ApiWriter } from './scheduler-api.ts';
import type { Namespace, Node, Pod, PodDisruptionBudget, PriorityClass } from './types.ts';

export type { SchedulerOptions } from './config.ts';

export type SchedulerStats = {
  scheduled: number;
  failed: number;
  bindErrors: number;
  /** Time in scheduling cycles (filter, score, assume), ms. */
  cycleMs: number;
  /** Time from bind start to bind answer, summed over binds, ms. */
  bindMs: number;
};

export type RunningScheduler = { stop(): Promise<void>; stats(): SchedulerStats; queueSizes(): ReturnType<SchedulingQueue['sizes']> };

export async function startScheduler(ctx: ComponentContext, opts?: SchedulerOptions): Promise<RunningScheduler> {
  const s = new Scheduler(ctx, opts);
  await s.start();
  return s;
}

const informer = <T extends KubeObject>(ctx: ComponentContext, group: string, version: string, resource: string): Informer<T> =>
  ctx.informers.informerFor<T>(resourceFor(group, version, resource)!);

class Scheduler implements RunningScheduler {
  private readonly ctx: ComponentContext;
  private readonly cache: SchedulerCache;
  private readonly queue: SchedulingQueue;
  private readonly snapshot = new Snapshot();
  private readonly frameworks = new Map<string, Framework>();
  private readonly finder = new NodeFinder();
  private readonly nominator = new Nominator();
  private readonly api: ApiWriter;
  private readonly informers: Informer<KubeObject>[] = [];
  private readonly percentage: number | undefined;
  private readonly parallelBinds: number;
  private readonly counters: SchedulerStats = { scheduled: 0, failed: 0, bindErrors: 0, cycleMs: 0, bindMs: 0 };
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private bindsInFlight = 0;
  private bindWaiters: (() => void)[] = [];
  private readonly bindsDone = new Set<Promise<void>>();
  private stopped = false;
  private loopDone: Promise<void> = Promise.resolve();

  constructor(ctx: ComponentContext, options?: SchedulerOptions) {
    const opts = resolveOptions(options);
    this.ctx = ctx;
    this.percentage = opts.percentageOfNodesToScore;
    this.parallelBinds = opts.parallelBinds ?? 16;
    this.pods = informer<Pod>(ctx, '', 'v1', 'pods');
    this.nodes = informer<Node>(ctx, '', 'v1', 'nodes');
    const namespaces = informer<Namespace>(ctx, '', 'v1', 'namespaces');
    const classes = informer<PriorityClass>(ctx, 'scheduling.k8s.io', 'v1', 'priorityclasses');
    const pdbs = informer<PodDisruptionBudget>(ctx, 'policy', 'v1', 'poddisruptionbudgets');
    const owners: OwnerListers = {
      services: informer(ctx, '', 'v1', 'services').lister,
      replicaSets: informer(ctx, 'apps', 'v1', 'replicasets').lister,
      statefulSets: informer(ctx, 'apps', 'v1', 'statefulsets').lister,
      replicationControllers: informer(ctx, '', 'v1', 'replicationcontrollers').lister,
    };
    this.informers.push(this.pods, this.nodes, namespaces, classes, pdbs);
    const priority = (pod: Pod) => priorityOf(pod, classes.lister);
    this.cache = new SchedulerCache(priority);
    this.api = new ApiWriter({
      client: ctx.client,
      recorder: ctx.recorder('default-scheduler', opts.hostname),
      clock: ctx.clock,
      nominator: this.nominator,
      pdbs: pdbs.lister,
      log: ctx.log,
    });
    for (const profile of opts.profiles) {
      let fwk: Framework | undefined;
      const handle: Handle = {
        clock: ctx.clock,
        namespaceLabels: (ns) => namespaces.lister.get(undefined, ns)?.metadata.labels,
        snapshot: () => this.snapshot,
        runFilters: (st, pod, node) => fwk!.runFilter(st, pod, node),
        runAddPod: (st, pod, add, node) => fwk!.runAddPod(st, pod, add, node),
        runRemovePod: (st, pod, rm, node) => fwk!.runRemovePod(st, pod, rm, node),
        cloneState: (st) => fwk!.cloneState(st),
        defaultSpreadSelector: (pod) => defaultSpreadSelector(pod, owners),
        api: this.api,
        informerFor: (r) => this.track(ctx.informers.informerFor(r)),
        client: ctx.client,
        onClusterEvent: (e) => this.queue.onEvent(e),
      };
      fwk = new Framework(profile, inTreePlugins, handle);
      this.frameworks.set(profile.schedulerName, fwk);
    }
    const pluginEvents = new Map<string, Set<ClusterEvent>>();
    for (const fwk of this.frameworks.values()) for (const p of fwk.plugins) pluginEvents.set(p.name, new Set(p.events ?? []));
    this.queue = new SchedulingQueue(ctx.clock, {
      pluginEvents,
      ...(opts.podInitialBackoffSeconds !== undefined ? { initialBackoffMs: opts.podInitialBackoffSeconds * 1000 } : {}),
      ...(opts.podMaxBackoffSeconds !== undefined ? { maxBackoffMs: opts.podMaxBackoffSeconds * 1000 } : {}),
    });
    const deps = {
      cache: this.cache,
      queue: this.queue,
      nominator: this.nominator,
      responsible: (pod: Pod) => this.frameworks.has(pod.spec?.schedulerName || 'default-scheduler'),
      podInfo: (pod: Pod) => newPodInfo(pod, priority(pod)),
    };
    this.pods.addEventHandler(podHandlers(deps));
    this.nodes.addEventHandler(nodeHandlers(deps));
    namespaces.addEventHandler({ onUpdate: () => this.queue.onEvent('NamespaceChange') });
  }

  private track<T extends KubeObject>(i: Informer<T>): Informer<T> {
    if (!this.informers.includes(i as Informer<KubeObject>)) this.informers.push(i as Informer<KubeObject>);
    return i;
  }

  async start(): Promise<void> {
    this.ctx.informers.start();
    await Promise.all(this.informers.map((i) => i.waitForSync()));
    this.loopDone = this.loop();
    this.ctx.log(`scheduler: started with profiles ${[...this.frameworks.keys()].join(', ')}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.close();
    for (const w of this.bindWaiters.splice(0)) w();
    await this.loopDone;
    await Promise.allSettled([...this.bindsDone]);
  }

  stats(): SchedulerStats {
    return { ...this.counters };
  }

  queueSizes(): ReturnType<SchedulingQueue['sizes']> {
    return this.queue.sizes();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      while (this.bindsInFlight >= this.parallelBinds && !this.stopped) await new Promise<void>((r) => this.bindWaiters.push(r));
      const q = await this.queue.pop();
      if (!q || this.stopped) return;
      try {
        await this.scheduleOne(q);
      } catch (err) {
        this.ctx.log(`scheduler: scheduling ${q.pi.key}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        this.queue.addUnschedulable(q, this.queue.schedulingCycleNow(), true);
      }
      // Let watch events and bind answers in between cycles.
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  private async scheduleOne(q: QueuedPodInfo): Promise<void> {
    const pi = q.pi;
    const fwk = this.frameworks.get(pi.pod.spec?.schedulerName || 'default-scheduler');
    if (!fwk || this.cache.nodeOf(pi.key) !== undefined) {
      this.queue.done(pi.key);
      return;
    }
    const started = performance.now();
    const cycle = this.queue.schedulingCycleNow();
    this.cache.updateSnapshot(this.snapshot);
    const state: CycleState = new Map();
    const nominatedNode = this.nominator.nodeOf(pi.key) ?? pi.pod.status?.nominatedNodeName;
    const result = this.finder.schedule(fwk, state, pi, this.snapshot, this.nominator.forNode, nominatedNode, this.percentage);
    if (!result.ok) {
      this.counters.cycleMs += performance.now() - started;
      await this.fitFailure(fwk, state, q, result, cycle);
      return;
    }
    const node = result.node;
    this.cache.assumePod(pi, node);
    const reserve = fwk.runReserve(state, pi, node);
    const permit = reserve === null ? fwk.runPermit(state, pi, node) : { status: reserve, waitMs: 0 };
    this.counters.cycleMs += performance.now() - started;
    if (permit.status !== null && permit.status.code !== Code.Wait) {
      fwk.runUnreserve(state, pi, node);
      this.cache.forgetPod(pi.key);
      await this.failure(q, permit.status, permit.status.reasons.join(', '), cycle);
      return;
    }
    this.nominator.delete(pi.key);
    this.bindsInFlight++;
    const done = this.bindingCycle(fwk, state, q, node, cycle, permit.waitMs).finally(() => {
      this.bindsInFlight--;
      this.bindsDone.delete(done);
      this.bindWaiters.shift()?.();
    });
    this.bindsDone.add(done);
  }

  private async bindingCycle(fwk: Framework, state: CycleState, q: QueuedPodInfo, node: string, cycle: number, waitMs: number): Promise<void> {
    const pi = q.pi;
    const started = performance.now();
    let status: MaybeStatus = null;
    try {
      // Permit's Wait: no plugin here allows early, so the pod waits out the timeout and goes on.
      if (waitMs > 0) await new Promise<void>((r) => this.ctx.clock.setTimeout(r, waitMs));
      status = await fwk.runPreBind(state, pi, node);
      if (status === null) status = await fwk.runBind(state, pi, node);
    } catch (err) {
      status = { code: Code.Error, reasons: [err instanceof Error ? err.message : String(err)], error: err };
    }
    this.counters.bindMs += performance.now() - started;
    if (status === null) {
      this.counters.scheduled++;
      this.queue.done(pi.key);
      this.api.scheduled(pi, node);
      fwk.runPostBind(state, pi, node);
      return;
    }
    this.counters.bindErrors++;
    fwk.runUnreserve(state, pi, node);
    this.cache.forgetPod(pi.key);
    // The forgotten pod's room is free again.
    this.queue.onEvent('AssignedPodDelete');
    const gone = status.error && typeof status.error === 'object' && 'code' in status.error && ((status.error as { code: number }).code === 404 || (status.error as { code: number }).code === 409);
    if (gone) {
      // Deleted, or bound by someone else: its own events tell the rest.
      this.queue.done(pi.key);
      this.ctx.log(`scheduler: binding ${pi.key} to ${node}: ${status.reasons.join(', ')}`);
      return;
    }
    await this.failure(q, status, `binding rejected: ${status.reasons.join(', ')}`, cycle);
  }

  private async fitFailure(fwk: Framework, state: CycleState, q: QueuedPodInfo, r: Extract<FitResult, { ok: false }>, cycle: number): Promise<void> {
    if (r.status.code === Code.Error) {
      await this.failure(q, r.status, r.status.reasons.join(', '), cycle);
      return;
    }
    const plugins = new Set<string>();
    for (const s of r.statuses.values()) if (s.plugin) plugins.add(s.plugin);
    if (r.status.plugin) plugins.add(r.status.plugin);
    q.unschedulablePlugins = plugins;
    let postMsg = '';
    let nominated: string | undefined;
    if (r.numAllNodes > 0) {
      for (const p of fwk.postFilter) {
        const res = await p.postFilter!(state, q.pi, r.statuses);
        if (res.nominatedNodeName) {
          nominated = res.nominatedNodeName;
          break;
        }
        if (res.status.reasons.length > 0) postMsg = res.status.reasons.join(', ');
      }
    }
    const message = r.numAllNodes === 0 ? 'no nodes available to schedule pods' : fullFitError(r.numAllNodes, r.statuses, postMsg, r.preFilterMsg);
    await this.failure(q, r.status, message, cycle, nominated);
  }

  private async failure(q: QueuedPodInfo, status: Status, message: string, cycle: number, nominated?: string): Promise<void> {
    const isError = status.code === Code.Error;
    this.counters.failed++;
    if (status.plugin && !isError) q.unschedulablePlugins.add(status.plugin);
    // Fresh state of the pod: it may have been deleted or bound while we tried.
    const current = this.pods.lister.get(q.pi.pod.metadata.namespace, q.pi.pod.metadata.name ?? '');
    if (!current || current.spec?.nodeName || current.metadata.uid !== q.pi.pod.metadata.uid) {
      this.queue.done(q.pi.key);
      return;
    }
    this.queue.addUnschedulable(q, cycle, isError);
    try {
      await this.api.failed(current, isError ? 'SchedulerError' : 'Unschedulable', message, nominated);
    } catch (err) {
      this.ctx.log(`scheduler: recording failure of ${q.pi.key}: ${String(err)}`);
    }
  }
}

