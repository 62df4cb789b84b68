// Fetching a kubelet's /stats/summary, with the cluster token and a deadline.

import { request } from 'node:http';
import type { KubeletAddress } from '../handlers/node-proxy-target.ts';

/** The parts of the kubelet Summary API the metrics API reads. */
export type CpuSample = { time?: string; usageNanoCores?: number; usageCoreNanoSeconds?: number };
export type MemorySample = { time?: string; workingSetBytes?: number };
export type SummaryContainer = { name: string; cpu?: CpuSample; memory?: MemorySample };
export type SummaryPod = { podRef: { name: string; namespace: string; uid?: string }; containers?: SummaryContainer[]; cpu?: CpuSample; memory?: MemorySample };
export type StatsSummary = { node: { nodeName?: string; cpu?: CpuSample; memory?: MemorySample }; pods?: SummaryPod[] };

export type FetchSummary = (kubelet: KubeletAddress, token: string | undefined) => Promise<StatsSummary>;

export const fetchKubeletSummary: FetchSummary = (k, token) =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: k.host, port: k.port, path: '/stats/summary', method: 'GET', agent: false, timeout: 10_000, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return reject(new Error(`kubelet of node "${k.nodeName}" answered ${res.statusCode} to /stats/summary: ${body.slice(0, 200)}`));
          try {
            resolve(JSON.parse(body) as StatsSummary);
          } catch {
            reject(new Error(`kubelet of node "${k.nodeName}" sent a /stats/summary that is not JSON`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`kubelet of node "${k.nodeName}" at ${k.host}:${k.port} did not answer /stats/summary within 10 s`)));
    req.on('error', reject);
    req.end();
  });
