// What a component gets to talk to the cluster: the client, the process's
// shared informers, the clock, event recorders and a log.

import type { Clock } from '../machinery/clock.ts';
import type { Client, ComponentContext, EventRecorder, SharedInformerFactory } from './interfaces.ts';
import { createEventRecorder } from './event-recorder.ts';
import { InformerFactory } from './informer-factory.ts';

/** `informers` defaults to a factory of the component's own; components on one thread pass views of one. */
export function createComponentContext(
  client: Client,
  clock: Clock,
  log: (line: string) => void,
  informers: SharedInformerFactory = new InformerFactory(client, { clock, log }),
): ComponentContext {
  const recorders = new Map<string, EventRecorder>();
  return {
    client,
    informers,
    clock,
    // One recorder per source, so repeats from one component aggregate.
    recorder: (component, host) => {
      const key = `${component}\u0000${host ?? ''}`;
      let r = recorders.get(key);
      if (!r) recorders.set(key, (r = createEventRecorder(client, component, host, { clock, log })));
      return r;
    },
    log,
  };
}
