// DefaultBinder: sets spec.nodeName through the pods/binding subresource.

import type { Handle, Plugin } from '../../framework/interface.ts';
import { asError } from '../../framework/status.ts';

export function defaultBinder(_args: Record<string, unknown>, handle: Handle): Plugin {
  return {
    name: 'DefaultBinder',
    async bind(_state, pod, nodeName) {
      try {
        await handle.api.bind(pod, nodeName);
        return null;
      } catch (err) {
        return asError(err);
      }
    },
  };
}
