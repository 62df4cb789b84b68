// Events expire: a cleaner lists events page by page and deletes those whose
// last sighting (lastTimestamp, eventTime, or creation) is older than the TTL.

import type { KubeObject } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { Client } from '../../client/interfaces.ts';
import { isNotFound } from '../../machinery/status.ts';
import type { ControllerContext, RunningController } from '../types.ts';

const eventResource = resourceForKind('', 'Event')!;

type Event = KubeObject & { lastTimestamp?: string | null; eventTime?: string | null; series?: { lastObservedTime?: string } | null };

export function lastSeen(ev: Event): number {
  const t = ev.series?.lastObservedTime ?? ev.lastTimestamp ?? ev.eventTime ?? ev.metadata.creationTimestamp;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/** Deletes every expired event; returns how many. */
export async function expireEvents(client: Client, now: number, ttlMs: number): Promise<number> {
  let cont: string | undefined;
  let deleted = 0;
  do {
    const page = await client.list<Event>(eventResource, undefined, { limit: 500, ...(cont ? { continue: cont } : {}) });
    cont = page.metadata.continue || undefined;
    for (const ev of page.items) {
      if (now - lastSeen(ev) < ttlMs) continue;
      try {
        await client.delete(eventResource, ev.metadata.namespace, ev.metadata.name!, { preconditions: { uid: ev.metadata.uid! } });
        deleted++;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  } while (cont);
  return deleted;
}

export function startEventTTLController(ctx: ControllerContext): RunningController {
  const ttl = ctx.options.eventTTLMs;
  let running: Promise<unknown> = Promise.resolve();
  const timer = ctx.clock.setInterval(
    () => {
      running = running.then(() => expireEvents(ctx.client, ctx.clock.now(), ttl)).catch((e: Error) => ctx.log(`eventttl: ${e.message}`));
    },
    Math.max(1000, Math.min(60_000, ttl / 10)),
  );
  return {
    async stop() {
      timer.cancel();
      await running;
    },
  };
}
