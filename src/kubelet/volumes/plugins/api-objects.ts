// Lookups of the API objects volumes are made from.

import { resourceFor } from '../../../api/scheme.ts';
import type { Client } from '../../../client/interfaces.ts';
import { isNotFound } from '../../../machinery/status.ts';
import type { ConfigMap, Secret } from '../volume-types.ts';
import { VolumeProblem } from '../volume-set-up-error.ts';

const configMaps = resourceFor('', 'v1', 'configmaps')!;
const secrets = resourceFor('', 'v1', 'secrets')!;

/** The configMap's data and binaryData; undefined when it is absent and optional. */
export async function configMapData(client: Client, namespace: string, name: string, optional: boolean): Promise<Map<string, Buffer> | undefined> {
  let cm: ConfigMap;
  try {
    cm = await client.get<ConfigMap>(configMaps, namespace, name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    if (optional) return undefined;
    throw new VolumeProblem(`configmap "${name}" not found`);
  }
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(cm.data ?? {})) out.set(k, Buffer.from(v, 'utf8'));
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) out.set(k, Buffer.from(v, 'base64'));
  return out;
}

/** The secret's decoded data; undefined when it is absent and optional. */
export async function secretData(client: Client, namespace: string, name: string, optional: boolean): Promise<Map<string, Buffer> | undefined> {
  let secret: Secret;
  try {
    secret = await client.get<Secret>(secrets, namespace, name);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    if (optional) return undefined;
    throw new VolumeProblem(`secret "${name}" not found`);
  }
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(secret.data ?? {})) out.set(k, Buffer.from(v, 'base64'));
  return out;
}
