// configMap and secret keys (or their `items`) as volume files.

import { checkPayloadPath, type Payload } from '../atomic-writer.ts';
import type { KeyToPath } from '../volume-types.ts';
import { VolumeProblem } from '../volume-set-up-error.ts';

export const defaultFileMode = 0o644;

/**
 * `kind` is `configmap` or `secret` (as Kubernetes words its errors).
 * A missing key listed in `items` is an error unless the source is optional.
 */
export function projectKeys(
  kind: 'configmap' | 'secret',
  data: Map<string, Buffer>,
  items: KeyToPath[] | undefined,
  defaultMode: number,
  optional: boolean,
  into: Payload = new Map(),
): Payload {
  if (!items || items.length === 0) {
    for (const [key, value] of data) into.set(checkPayloadPath(key), { data: value, mode: defaultMode });
    return into;
  }
  for (const item of items) {
    const value = data.get(item.key);
    if (value === undefined) {
      if (optional) continue;
      throw new VolumeProblem(kind === 'configmap' ? `configmap references non-existent config key: ${item.key}` : `references non-existent secret key: ${item.key}`);
    }
    into.set(checkPayloadPath(item.path), { data: value, mode: item.mode ?? defaultMode });
  }
  return into;
}
