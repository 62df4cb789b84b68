// Decodes Kubernetes' protobuf request bodies (what kubectl create sends) into
// the JSON form of the REST API, driven by the protoTags of the type schema.
// Wire layout: "k8s\0" + runtime.Unknown{typeMeta=1{apiVersion=1, kind=2}, raw=2,
// contentEncoding=3, contentType=4}; raw is the message of the kind.

import { parseApiVersion, type KubeObject } from '../meta.ts';
import { resourceForKind } from '../scheme.ts';
import { allTypes, lookupType } from '../schema/index.ts';
import type { FieldDef, FieldType, Scalar, TypeDef } from '../schema/types.ts';
import { setKey } from '../../machinery/own-keys.ts';
import { badRequest, StatusError } from '../../machinery/status.ts';
import { decodeUtf8, readFields, readPacked, WireError, type WireField } from './wire.ts';
import { splitInlinedTag } from '../schema/core-inline.ts';

export const protobufMagic = new Uint8Array([0x6b, 0x38, 0x73, 0x00]);

/** Deeper nesting than any real object has; bounds recursion on hostile input. */
const maxDepth = 100;

export function decodeKubernetesProtobuf(body: Uint8Array): KubeObject {
  try {
    return decodeEnvelope(body, 0);
  } catch (e) {
    if (e instanceof StatusError) throw e;
    const why = e instanceof WireError ? e.message : String(e);
    throw badRequest(`unable to decode protobuf body: ${why}`);
  }
}

function hasMagic(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x6b && b[1] === 0x38 && b[2] === 0x73 && b[3] === 0x00;
}

function decodeEnvelope(body: Uint8Array, depth: number): KubeObject {
  if (!hasMagic(body)) throw badRequest('unable to decode protobuf body: missing the "k8s\\x00" prefix');
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array(0);
  let contentEncoding = '';
  for (const f of readFields(body.subarray(4))) {
    if (f.tag === 1 && f.wire === 2) {
      for (const t of readFields(f.data)) {
        if (t.tag === 1 && t.wire === 2) apiVersion = decodeUtf8(t.data);
        else if (t.tag === 2 && t.wire === 2) kind = decodeUtf8(t.data);
      }
    } else if (f.tag === 2 && f.wire === 2) raw = f.data;
    else if (f.tag === 3 && f.wire === 2) contentEncoding = decodeUtf8(f.data);
  }
  if (contentEncoding) throw badRequest(`unable to decode protobuf body: unsupported contentEncoding "${contentEncoding}"`);
  if (!kind || !apiVersion) throw badRequest('unable to decode protobuf body: Object \'Kind\' or \'apiVersion\' is missing');
  const { group, version } = parseApiVersion(apiVersion);
  const def = typeForKind(group, version, kind);
  if (!def) throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}"`);
  const decoded = decodeMessage(def, raw, depth);
  return { apiVersion, kind, ...decoded, metadata: (decoded['metadata'] as KubeObject['metadata'] | undefined) ?? {} };
}

const gvkCache = new Map<string, TypeDef>();

function typeForKind(group: string, version: string, kind: string): TypeDef | undefined {
  const key = `${group}/${version}/${kind}`;
  const cached = gvkCache.get(key);
  if (cached) return cached;
  let found: TypeDef | undefined;
  const r = resourceForKind(group, kind);
  if (r && r.version === version) found = lookupType(r.schema);
  if (!found) {
    for (const t of allTypes()) {
      if (t.gvk?.some((g) => g.group === group && g.version === version && g.kind === kind)) {
        found = t;
        break;
      }
    }
  }
  if (found) gvkCache.set(key, found);
  return found;
}

const tagIndex = new WeakMap<TypeDef, Map<number, FieldDef>>();

function fieldsByTag(def: TypeDef): Map<number, FieldDef> {
  let m = tagIndex.get(def);
  if (!m) {
    m = new Map(def.fields.map((f) => [f.protoTag, f]));
    tagIndex.set(def, m);
  }
  return m;
}

const inlineIndex = new WeakMap<TypeDef, Map<number, TypeDef>>();

/** The embedded messages of a type (see core-inline.ts), as types of their own keyed by outer number. */
function inlinedMessages(def: TypeDef): Map<number, TypeDef> {
  let m = inlineIndex.get(def);
  if (!m) {
    const groups = new Map<number, FieldDef[]>();
    for (const f of def.fields) {
      const { outer, inner } = splitInlinedTag(f.protoTag);
      if (outer === 0) continue;
      const list = groups.get(outer) ?? [];
      list.push({ ...f, protoTag: inner });
      groups.set(outer, list);
    }
    m = new Map([...groups].map(([outer, fields]) => [outer, { name: `${def.name}#${outer}`, description: '', fields }]));
    inlineIndex.set(def, m);
  }
  return m;
}

/**
 * Go pointer fields (and fields without omitempty) whose 0 or false is a
 * value, not an absence: `replicas: 0` must survive, `paused: false` need not.
 */
const keepZero = new Set([
  'replicas', 'revisionHistoryLimit', 'progressDeadlineSeconds', 'parallelism', 'completions', 'backoffLimit',
  'backoffLimitPerIndex', 'maxFailedIndexes', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished', 'suspend',
  'manualSelector', 'startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit',
  'terminationGracePeriodSeconds', 'automountServiceAccountToken', 'enableServiceLinks', 'shareProcessNamespace',
  'setHostnameAsFQDN', 'hostUsers', 'priority', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'privileged',
  'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'fsGroup', 'defaultMode', 'mode', 'optional',
  'expirationSeconds', 'tolerationSeconds', 'partition', 'minDomains', 'allocateLoadBalancerNodePorts', 'ready',
  'serving', 'terminating', 'leaseDurationSeconds', 'leaseTransitions', 'immutable', 'value', 'port', 'containerPort',
  'weight', 'maxSkew', 'count', 'sizeLimit', 'exitCode', 'restartCount', 'startedAt', 'controller', 'blockOwnerDeletion',
]);

function decodeMessage(def: TypeDef, buf: Uint8Array, depth: number): Record<string, unknown> {
  if (depth > maxDepth) throw badRequest(`unable to decode protobuf body: nesting deeper than ${maxDepth} levels`);
  const byTag = fieldsByTag(def);
  const out: Record<string, unknown> = {};
  for (const wf of readFields(buf)) {
    const f = byTag.get(wf.tag);
    if (!f) {
      // An embedded Go struct: its fields land in this same JSON object.
      const embedded = inlinedMessages(def).get(wf.tag);
      if (embedded && wf.wire === 2) Object.assign(out, decodeMessage(embedded, wf.data, depth + 1));
      continue; // unknown fields are skipped, as protobuf does
    }
    const t = f.type;
    if (t.kind === 'array') {
      const list = (out[f.name] ??= []) as unknown[];
      if (wf.wire === 2 && t.items.kind === 'scalar' && isVarintScalar(t.items.scalar)) {
        for (const v of readPacked(wf.data)) list.push(varintScalar(t.items.scalar, v));
      } else {
        const v = decodeValue(t.items, wf, depth, `${def.name}.${f.name}`);
        if (v !== undefined) list.push(v);
      }
    } else if (t.kind === 'map') {
      const entry = decodeMapEntry(t.values, expectBytes(wf, `${def.name}.${f.name}`), depth, `${def.name}.${f.name}`);
      const m = (out[f.name] ??= {}) as Record<string, unknown>;
      setKey(m, entry.key, entry.value);
    } else {
      const v = decodeValue(t, wf, depth, `${def.name}.${f.name}`);
      const prev = out[f.name];
      // A message field seen twice merges, as protobuf does.
      out[f.name] = isPlainObject(prev) && isPlainObject(v) ? { ...prev, ...v } : v;
    }
  }
  // Go writes non-pointer empty strings and zero times; its JSON would omit them.
  for (const f of def.fields) {
    const v = out[f.name];
    if (v === undefined && f.name in out) delete out[f.name];
    else if (v === '' && f.type.kind === 'scalar') delete out[f.name];
    else if ((v === 0 || v === false) && f.type.kind === 'scalar' && !f.required && !keepZero.has(f.name)) delete out[f.name];
    else if (Array.isArray(v) && v.length === 0) delete out[f.name];
  }
  return out;
}

function decodeMapEntry(values: FieldType, buf: Uint8Array, depth: number, where: string): { key: string; value: unknown } {
  let key = '';
  let value: unknown;
  for (const wf of readFields(buf)) {
    if (wf.tag === 1) key = decodeUtf8(expectBytes(wf, `${where} key`));
    else if (wf.tag === 2) value = decodeValue(values, wf, depth, `${where}[${key}]`);
  }
  // An entry without a value carries the zero value of its type.
  return { key, value: value ?? zeroValue(values) };
}

function zeroValue(t: FieldType): unknown {
  if (t.kind === 'array') return [];
  if (t.kind === 'map' || t.kind === 'ref') return {};
  switch (t.scalar) {
    case 'string':
    case 'bytes':
      return '';
    case 'int32':
    case 'int64':
    case 'double':
    case 'intOrString':
      return 0;
    case 'boolean':
      return false;
    case 'quantity':
      return '0';
    default:
      return null;
  }
}

function decodeValue(t: FieldType, wf: WireField, depth: number, where: string): unknown {
  switch (t.kind) {
    case 'scalar':
      return decodeScalar(t.scalar, wf, depth, where);
    case 'ref': {
      const def = lookupType(t.ref);
      if (!def) throw badRequest(`unable to decode protobuf body: no schema for type ${t.ref}`);
      return decodeMessage(def, expectBytes(wf, where), depth + 1);
    }
    case 'array': {
      // Nested lists travel in a wrapper message with the items at field 1.
      const items: unknown[] = [];
      for (const inner of readFields(expectBytes(wf, where))) {
        if (inner.tag !== 1) continue;
        const v = decodeValue(t.items, inner, depth + 1, where);
        if (v !== undefined) items.push(v);
      }
      return items;
    }
    case 'map': {
      const m: Record<string, unknown> = {};
      for (const inner of readFields(expectBytes(wf, where))) {
        if (inner.tag !== 1) continue;
        const e = decodeMapEntry(t.values, expectBytes(inner, where), depth + 1, where);
        setKey(m, e.key, e.value);
      }
      return m;
    }
  }
}

const isVarintScalar = (s: Scalar): boolean => s === 'int32' || s === 'int64' || s === 'boolean';

function varintScalar(s: Scalar, v: bigint): number | boolean {
  if (s === 'boolean') return v !== 0n;
  return Number(s === 'int32' ? BigInt.asIntN(32, v) : BigInt.asIntN(64, v));
}

function decodeScalar(s: Scalar, wf: WireField, depth: number, where: string): unknown {
  switch (s) {
    case 'string':
      return decodeUtf8(expectBytes(wf, where));
    case 'int32':
    case 'int64':
    case 'boolean':
      if (wf.wire !== 0) throw wrongWire(where, wf.wire);
      return varintScalar(s, wf.value);
    case 'double':
      if (wf.wire === 1) return new DataView(wf.bits.buffer, wf.bits.byteOffset, 8).getFloat64(0, true);
      if (wf.wire === 5) return new DataView(wf.bits.buffer, wf.bits.byteOffset, 4).getFloat32(0, true);
      throw wrongWire(where, wf.wire);
    case 'bytes':
      return Buffer.from(expectBytes(wf, where)).toString('base64');
    case 'quantity': {
      let q = '';
      for (const f of readFields(expectBytes(wf, where))) if (f.tag === 1) q = decodeUtf8(expectBytes(f, where));
      return q;
    }
    case 'intOrString':
      return decodeIntOrString(expectBytes(wf, where), where);
    case 'time':
    case 'microTime':
      return decodeTime(expectBytes(wf, where), s === 'microTime', where);
    case 'rawExtension':
    case 'object':
      return decodeRawJson(expectBytes(wf, where), depth, where);
  }
}

function decodeIntOrString(buf: Uint8Array, where: string): number | string {
  let type = 0n;
  let intVal = 0;
  let strVal = '';
  for (const f of readFields(buf)) {
    if (f.tag === 1) type = expectVarint(f, where);
    else if (f.tag === 2) intVal = Number(BigInt.asIntN(32, expectVarint(f, where)));
    else if (f.tag === 3) strVal = decodeUtf8(expectBytes(f, where));
  }
  return type === 1n ? strVal : intVal;
}

/** Seconds a JS Date can hold (±8.64e15 ms). */
const maxSeconds = 8_640_000_000_000n;

function decodeTime(buf: Uint8Array, micro: boolean, where: string): string | undefined {
  // Go writes the zero time as an empty message; its JSON is null, i.e. omitted.
  if (buf.length === 0) return undefined;
  let seconds = 0n;
  let nanos = 0;
  for (const f of readFields(buf)) {
    if (f.tag === 1) seconds = BigInt.asIntN(64, expectVarint(f, where));
    else if (f.tag === 2) nanos = Number(BigInt.asIntN(32, expectVarint(f, where)));
  }
  if (seconds > maxSeconds || seconds < -maxSeconds) throw badRequest(`unable to decode protobuf body: time out of range in ${where}`);
  const iso = new Date(Number(seconds) * 1000).toISOString().slice(0, -5); // drop ".000Z"
  if (!micro) return `${iso}Z`;
  const us = Math.min(Math.max(Math.floor(nanos / 1000), 0), 999_999);
  return `${iso}.${String(us).padStart(6, '0')}Z`;
}

function decodeRawJson(buf: Uint8Array, depth: number, where: string): unknown {
  let raw: Uint8Array | undefined;
  for (const f of readFields(buf)) if (f.tag === 1) raw = expectBytes(f, where);
  if (!raw || raw.length === 0) return undefined;
  if (hasMagic(raw)) {
    return decodeEnvelope(raw, depth + 1);
  }
  try {
    return JSON.parse(decodeUtf8(raw));
  } catch {
    throw badRequest(`unable to decode protobuf body: ${where} holds invalid JSON`);
  }
}

function expectBytes(wf: WireField, where: string): Uint8Array {
  if (wf.wire !== 2) throw wrongWire(where, wf.wire);
  return wf.data;
}

function expectVarint(wf: WireField, where: string): bigint {
  if (wf.wire !== 0) throw wrongWire(where, wf.wire);
  return wf.value;
}

function wrongWire(where: string, wire: number): StatusError {
  return badRequest(`unable to decode protobuf body: unexpected wire type ${wire} for ${where}`);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
