// ConfigMap and Secret validation: keys, total size, Secret types and immutability.

import { getKey, hasKey } from '../../machinery/own-keys.ts';
import { maxLenError, nameIsDNSSubdomain, regexError } from '../../machinery/names.ts';
import { fieldForbidden, fieldInvalid, fieldRequired, fieldTooLong, type FieldError } from '../../machinery/status.ts';
import type { KubeObject } from '../meta.ts';
import { registerValidator } from '../validation.ts';
import { deepEqual, obj, str, strMap, text, validateMeta } from './util.ts';

const maxSize = 1024 * 1024;
const configKeyFmt = '[-._a-zA-Z0-9]+';

/** Kubernetes' IsConfigMapKey, shared by Secrets. */
export function isConfigMapKey(key: string): string[] {
  const errs: string[] = [];
  if (key.length > 253) errs.push(maxLenError(253));
  if (!new RegExp(`^${configKeyFmt}$`).test(key)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", configKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  }
  if (key === '.') errs.push("must not be '.'");
  else if (key === '..') errs.push("must not be '..'");
  else if (key.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

function validateKeys(data: Record<string, unknown>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(data)) for (const m of isConfigMapKey(k)) errs.push(fieldInvalid(`${path}[${k}]`, k, m));
  return errs;
}

const immutableDetail = 'field is immutable when `immutable` is set';

function validateImmutable(o: KubeObject, old: KubeObject | undefined, fields: readonly string[]): FieldError[] {
  if (!old || old['immutable'] !== true) return [];
  const errs: FieldError[] = [];
  if (o['immutable'] !== true) errs.push(fieldForbidden('immutable', immutableDetail));
  for (const f of fields) if (!deepEqual(o[f] ?? {}, old[f] ?? {})) errs.push(fieldForbidden(f, immutableDetail));
  return errs;
}

export function validateConfigMap(cm: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(cm, old, true, nameIsDNSSubdomain);
  const data = strMap(cm['data']);
  const binary = strMap(cm['binaryData']);
  errs.push(...validateKeys(data, 'data'), ...validateKeys(binary, 'binaryData'));
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    if (hasKey(binary, k)) errs.push(fieldInvalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(k) + Buffer.byteLength(text(v));
  }
  for (const [k, v] of Object.entries(binary)) size += Buffer.byteLength(k) + Buffer.from(text(v), 'base64').length;
  if (size > maxSize) errs.push(fieldTooLong('data', '', maxSize));
  errs.push(...validateImmutable(cm, old, ['data', 'binaryData']));
  return errs;
}

/** Keys each Secret type must carry. */
const requiredKeys: Record<string, readonly string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

export function validateSecret(secret: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMeta(secret, old, true, nameIsDNSSubdomain);
  const data = strMap(secret['data']);
  const stringData = strMap(secret['stringData']);
  errs.push(...validateKeys(data, 'data'), ...validateKeys(stringData, 'stringData'));
  // The value of a key, decoded, whichever field carries it.
  const value = (k: string): string | undefined =>
    hasKey(stringData, k) ? text(stringData[k]) : hasKey(data, k) ? Buffer.from(text(data[k]), 'base64').toString() : undefined;
  let size = 0;
  for (const [k, v] of Object.entries(data)) size += Buffer.byteLength(k) + Buffer.from(text(v), 'base64').length;
  for (const [k, v] of Object.entries(stringData)) size += Buffer.byteLength(k) + Buffer.byteLength(text(v));
  if (size > maxSize) errs.push(fieldTooLong('data', '', maxSize));

  const type = str(secret['type']) || 'Opaque';
  for (const k of getKey(requiredKeys, type) ?? []) if (value(k) === undefined) errs.push(fieldRequired(`data[${k}]`));
  if (type === 'kubernetes.io/dockercfg' || type === 'kubernetes.io/dockerconfigjson') {
    const key = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
    const raw = value(key);
    if (raw !== undefined) {
      try {
        JSON.parse(raw);
      } catch (e) {
        errs.push(fieldInvalid(`data[${key}]`, '<secret contents redacted>', (e as Error).message));
      }
    }
  }
  if (type === 'kubernetes.io/basic-auth' && value('username') === undefined && value('password') === undefined) {
    errs.push(fieldRequired('data[username]'), fieldRequired('data[password]'));
  }
  if (type === 'kubernetes.io/service-account-token' && !obj(obj(secret.metadata)['annotations'])['kubernetes.io/service-account.name']) {
    errs.push(fieldRequired('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (old) {
    const oldType = str(old['type']) || 'Opaque';
    if (oldType !== type) errs.push(fieldInvalid('type', type, 'field is immutable'));
    errs.push(...validateImmutable(secret, old, ['data']));
  }
  return errs;
}

registerValidator('ConfigMap', validateConfigMap);
registerValidator('Secret', validateSecret);
