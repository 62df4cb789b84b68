// What every resource handler gets: the request, the resource it names, and how to answer.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/meta.ts';
import type { ResourceInfo } from '../../api/scheme.ts';
import type { RequestInfo } from '../request-info.ts';
import type { Registry } from '../registry/registry.ts';
import type { ResourceStore } from '../registry/store.ts';
import { send, sendRaw, type ResponseFormat } from '../codec.ts';
import { objectJson } from '../serialize.ts';
import { coreToEventsV1, eventsV1ToCore } from '../../api/conversion/events.ts';

export type ResourceRequest = Extract<RequestInfo, { isResource: true }>;

export type HandlerContext = {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  request: ResourceRequest;
  /** The resource as the client sees it. */
  info: ResourceInfo;
  /** The store holding it (core events for events.k8s.io). */
  store: ResourceStore;
  registry: Registry;
  format: ResponseFormat;
  accept: string;
};

const eventsGroup = 'events.k8s.io';

/** The object as this resource's clients see it. Never mutates a cached object. */
export function present(info: ResourceInfo, obj: KubeObject): KubeObject {
  if (info.group === eventsGroup) return coreToEventsV1(obj);
  return obj;
}

/** The object as it is stored. */
export function toStored(info: ResourceInfo, obj: KubeObject): KubeObject {
  if (info.group === eventsGroup) return eventsV1ToCore(obj);
  return obj;
}

export function reply(ctx: HandlerContext, code: number, obj: KubeObject): void {
  const out = present(ctx.info, obj);
  // A write's result already has its JSON (see serialize.ts).
  if (ctx.format === 'json') sendRaw(ctx.res, code, objectJson(out));
  else send(ctx.res, code, out, ctx.format);
}

export function isDryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').some((v) => v === 'All');
}

/** The field manager of a write: the query parameter, else the client's name from its User-Agent. */
export function fieldManagerOf(ctx: HandlerContext): string {
  const explicit = ctx.query.get('fieldManager');
  if (explicit) return explicit;
  const agent = ctx.req.headers['user-agent'] ?? 'unknown';
  return agent.split('/')[0]!.slice(0, 128) || 'unknown';
}
