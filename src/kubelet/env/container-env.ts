// A container's environment as the kubelet computes it: envFrom first, then
// env in order (later names override earlier ones), each `value` expanded
// against the variables defined before it; configMap and secret values come
// from the API.

import { resourceFor } from '../../api/scheme.ts';
import type { KubeObject } from '../../api/meta.ts';
import type { Client } from '../../client/interfaces.ts';
import { isNotFound } from '../../machinery/status.ts';
import { getKey, setKey } from '../../machinery/own-keys.ts';
import type { KeyValue } from '../runtime/runtime.ts';
import type { ContainerSpec, Pod } from '../types.ts';
import { expandVars } from './expand.ts';
import { podFieldValue, resourceFieldValue, type PodAddresses } from './field-ref.ts';

const configMaps = resourceFor('', 'v1', 'configmaps')!;
const secrets = resourceFor('', 'v1', 'secrets')!;

export type EnvContext = PodAddresses & {
  /** Absent on nodes without an API client: configMap/secret references then fail. */
  client?: Client;
  allocatable?: Record<string, string | number>;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
};

export type EnvResult = { kind: 'ok'; envs: KeyValue[]; vars: Map<string, string> } | { kind: 'error'; message: string };

type Source = 'configMap' | 'secret';
type DataObject = KubeObject & { data?: Record<string, string> };

const envVarName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Thrown inside this module only; becomes an `error` result. */
class EnvError extends Error {}

export async function resolveContainerEnv(ctx: EnvContext, pod: Pod, c: ContainerSpec): Promise<EnvResult> {
  const ns = pod.metadata.namespace ?? 'default';
  const cache = new Map<string, Record<string, string> | undefined>();
  // One lookup per object per container start; undefined = not found.
  const data = async (kind: Source, name: string): Promise<Record<string, string> | undefined> => {
    const key = `${kind}/${name}`;
    if (cache.has(key)) return cache.get(key);
    if (!ctx.client) throw new EnvError(`couldn't get ${kind} ${ns}/${name}, no kubeClient defined`);
    let out: Record<string, string> | undefined;
    try {
      const obj = await ctx.client.get<DataObject>(kind === 'configMap' ? configMaps : secrets, ns, name);
      out = kind === 'secret' ? decodeSecret(obj.data ?? {}) : { ...(obj.data ?? {}) };
    } catch (e) {
      if (!isNotFound(e)) throw new EnvError(`couldn't get ${kind} ${ns}/${name}: ${(e as Error).message}`);
    }
    cache.set(key, out);
    return out;
  };
  const notFound = (kind: Source, name: string) => new EnvError(`${kind.toLowerCase()} "${name}" not found`);

  const vars = new Map<string, string>();
  try {
    for (const from of c.envFrom ?? []) {
      const ref = from.configMapRef ?? from.secretRef;
      if (!ref) continue;
      const kind: Source = from.configMapRef ? 'configMap' : 'secret';
      const d = await data(kind, ref.name);
      if (!d) {
        if (ref.optional) continue;
        throw notFound(kind, ref.name);
      }
      const invalid: string[] = [];
      for (const [k, v] of Object.entries(d)) {
        const name = (from.prefix ?? '') + k;
        if (!envVarName.test(name)) invalid.push(name);
        else vars.set(name, v);
      }
      if (invalid.length > 0) {
        const what = kind === 'configMap' ? 'configMap' : 'secret';
        ctx.event('Warning', 'InvalidEnvironmentVariableNames', `Keys [${invalid.sort().join(', ')}] from the EnvFrom ${what} ${ns}/${ref.name} were skipped since they are considered invalid environment variable names.`);
      }
    }
    for (const e of c.env ?? []) {
      const from = e.valueFrom;
      if (e.value !== undefined && e.value !== '') {
        vars.set(e.name, expandVars(e.value, (n) => vars.get(n)));
      } else if (!from) {
        vars.set(e.name, '');
      } else if (from.fieldRef) {
        vars.set(e.name, unwrap(podFieldValue(pod, from.fieldRef.fieldPath, ctx)));
      } else if (from.resourceFieldRef) {
        vars.set(e.name, unwrap(resourceFieldValue(pod, c, from.resourceFieldRef, ctx.allocatable)));
      } else {
        const kind: Source = from.configMapKeyRef ? 'configMap' : 'secret';
        const ref = from.configMapKeyRef ?? from.secretKeyRef;
        if (!ref) {
          vars.set(e.name, '');
          continue;
        }
        const d = await data(kind, ref.name);
        if (!d) {
          if (ref.optional) continue;
          throw notFound(kind, ref.name);
        }
        const v = getKey(d, ref.key);
        if (v === undefined) {
          if (ref.optional) continue;
          throw new EnvError(`couldn't find key ${ref.key} in ${kind === 'configMap' ? 'ConfigMap' : 'Secret'} ${ns}/${ref.name}`);
        }
        vars.set(e.name, v);
      }
    }
  } catch (e) {
    if (e instanceof EnvError) return { kind: 'error', message: e.message };
    throw e;
  }
  return { kind: 'ok', envs: [...vars].map(([key, value]) => ({ key, value })), vars };
}

function unwrap(r: { value: string } | { error: string }): string {
  if ('error' in r) throw new EnvError(r.error);
  return r.value;
}

function decodeSecret(data: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) setKey(out, k, Buffer.from(v, 'base64').toString('utf8'));
  return out;
}
