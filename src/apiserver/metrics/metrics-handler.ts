// The metrics.k8s.io/v1beta1 API (what metrics-server serves, and what
// `kubectl top` reads): NodeMetrics and PodMetrics computed on request from
// each node's kubelet /stats/summary. Also adds the group to /apis discovery.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/meta.ts';
import { rfc3339, realClock, type Clock } from '../../machinery/clock.ts';
import { parseSelector, type Selector } from '../../machinery/labels.ts';
import { badRequest, methodNotAllowed, statusError } from '../../machinery/status.ts';
import { send, sendRaw } from '../codec.ts';
import { aggregatedContentType, aggregatedDiscovery, apiGroupList, wantsAggregated } from '../discovery.ts';
import { kubeletAddress } from '../handlers/node-proxy-target.ts';
import type { Registry } from '../registry/registry.ts';
import { metricsAggregatedGroup, metricsApiGroup, metricsGroup, metricsGroupVersion, metricsResourceList } from './discovery.ts';
import { fetchKubeletSummary, type FetchSummary, type StatsSummary } from './kubelet-summary.ts';
import { CpuRates, cpuQuantity, memoryQuantity } from './usage.ts';

export type MetricsOptions = { registry: Registry; kubeletToken?: string | undefined; clock?: Clock; log?: (line: string) => void; fetchSummary?: FetchSummary };
/** Answers the request and returns true when it is the metrics API's (or /apis). */
export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const prefix = `/apis/${metricsGroup}`;
const window = '10s';

export function metricsHandler(opts: MetricsOptions): MetricsHandler {
  const clock = opts.clock ?? realClock;
  const fetch = opts.fetchSummary ?? fetchKubeletSummary;
  const log = opts.log ?? (() => {});
  const rates = new CpuRates();
  const nodes = () => opts.registry.mustStore('', 'nodes');
  const pods = () => opts.registry.mustStore('', 'pods');

  /** Summaries of these nodes; a node whose kubelet cannot be asked is left out. */
  async function summaries(names: Iterable<string>): Promise<Map<string, StatsSummary>> {
    const out = new Map<string, StatsSummary>();
    await Promise.all(
      [...new Set(names)].map(async (name) => {
        try {
          out.set(name, await fetch(await kubeletAddress(opts.registry, name), opts.kubeletToken));
        } catch (e) {
          log(`metrics: node ${name}: ${(e as Error).message}`);
        }
      }),
    );
    return out;
  }

  async function nodeMetrics(selector: Selector, only?: string): Promise<KubeObject[]> {
    const store = nodes();
    const list = store.cache.list(store.prefix(undefined), {}).items.map((i) => i.object).filter((n) => (only ? n.metadata.name === only : selector.matches(n.metadata.labels ?? {})));
    const got = await summaries(list.map((n) => n.metadata.name!));
    const now = clock.now();
    return list.flatMap((n) => {
      const s = got.get(n.metadata.name!);
      if (!s) return [];
      return [
        {
          kind: 'NodeMetrics',
          apiVersion: metricsGroupVersion,
          metadata: { name: n.metadata.name!, creationTimestamp: rfc3339(now), ...(n.metadata.labels ? { labels: n.metadata.labels } : {}) },
          timestamp: s.node.cpu?.time ?? rfc3339(now),
          window,
          usage: { cpu: cpuQuantity(rates.rate(`node/${n.metadata.name}`, s.node.cpu, now)), memory: memoryQuantity(s.node.memory) },
        },
      ];
    });
  }

  async function podMetrics(namespace: string | undefined, selector: Selector, only?: string): Promise<KubeObject[]> {
    const store = pods();
    const list = store.cache
      .list(store.prefix(namespace), {})
      .items.map((i) => i.object)
      .filter((p) => (only ? p.metadata.name === only : selector.matches(p.metadata.labels ?? {})))
      .filter((p) => (p.spec as { nodeName?: string } | undefined)?.nodeName);
    const got = await summaries(list.map((p) => (p.spec as { nodeName: string }).nodeName));
    const now = clock.now();
    const out: KubeObject[] = [];
    for (const p of list) {
      const s = got.get((p.spec as { nodeName: string }).nodeName);
      const stats = s?.pods?.find((x) => x.podRef.namespace === p.metadata.namespace && x.podRef.name === p.metadata.name && (!x.podRef.uid || x.podRef.uid === p.metadata.uid));
      if (!stats || !stats.containers?.length) continue;
      const key = `${p.metadata.namespace}/${p.metadata.name}/${p.metadata.uid}`;
      out.push({
        kind: 'PodMetrics',
        apiVersion: metricsGroupVersion,
        metadata: { name: p.metadata.name!, namespace: p.metadata.namespace!, creationTimestamp: rfc3339(now), ...(p.metadata.labels ? { labels: p.metadata.labels } : {}) },
        timestamp: stats.containers[0]?.cpu?.time ?? rfc3339(now),
        window,
        containers: stats.containers.map((c) => ({
          name: c.name,
          usage: { cpu: cpuQuantity(rates.rate(`${key}/${c.name}`, c.cpu, now)), memory: memoryQuantity(c.memory) },
        })),
      });
    }
    return out;
  }

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const accept = req.headers.accept ?? '';
    if (path === '/apis' && (req.method === 'GET' || req.method === 'HEAD')) {
      if (wantsAggregated(accept)) {
        const doc = aggregatedDiscovery(false) as { items: object[] };
        doc.items.push(metricsAggregatedGroup());
        sendRaw(res, 200, JSON.stringify(doc), aggregatedContentType);
      } else {
        const doc = apiGroupList() as { groups: object[] };
        doc.groups.push(metricsApiGroup());
        send(res, 200, doc);
      }
      return true;
    }
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(`the metrics API is read-only: ${req.method} is not allowed on ${path}`);
    const parts = path.slice(prefix.length).split('/').filter(Boolean).map(decodeURIComponent);
    if (parts.length === 0) return void send(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...metricsApiGroup() }), true;
    if (parts[0] !== 'v1beta1') throw notFound();
    let selector: Selector;
    try {
      selector = parseSelector(url.searchParams.get('labelSelector') ?? '');
    } catch (e) {
      throw badRequest(`unable to parse labelSelector ${JSON.stringify(url.searchParams.get('labelSelector'))}: ${(e as Error).message}`);
    }
    const rest = parts.slice(1);
    const list = (kind: string, items: KubeObject[]) => send(res, 200, { kind, apiVersion: metricsGroupVersion, metadata: {}, items });
    if (rest.length === 0) send(res, 200, metricsResourceList());
    else if (rest[0] === 'nodes' && rest.length === 1) list('NodeMetricsList', await nodeMetrics(selector));
    else if (rest[0] === 'nodes' && rest.length === 2) send(res, 200, one(await nodeMetrics(selector, rest[1]), 'nodemetrics', rest[1]!));
    else if (rest[0] === 'pods' && rest.length === 1) list('PodMetricsList', await podMetrics(undefined, selector));
    else if (rest[0] === 'namespaces' && rest[2] === 'pods' && rest.length === 3) list('PodMetricsList', await podMetrics(rest[1], selector));
    else if (rest[0] === 'namespaces' && rest[2] === 'pods' && rest.length === 4) send(res, 200, one(await podMetrics(rest[1], selector, rest[3]), 'podmetrics', `${rest[1]}/${rest[3]}`));
    else throw notFound();
    return true;
  };
}

function one(items: KubeObject[], resource: string, name: string): KubeObject {
  const o = items[0];
  if (!o) throw statusError(404, 'NotFound', `${resource}.${metricsGroup} "${name}" not found`, { name, group: metricsGroup, kind: resource });
  return o;
}

function notFound() {
  return statusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

const handlers = new WeakMap<Registry, MetricsHandler>();

/** The metrics handler of one API server (its registry), made on first use: the server's routing calls this. */
export function metricsFor(registry: Registry, kubeletToken: string | undefined): MetricsHandler {
  let h = handlers.get(registry);
  if (!h) handlers.set(registry, (h = metricsHandler({ registry, kubeletToken })));
  return h;
}
