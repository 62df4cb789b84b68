// Name and key rules of the API, worded like Kubernetes' validation package so
// kubectl users see the messages they know.

import type { ObjectMeta } from '../api/meta.ts';
import { fieldForbidden, fieldInvalid, fieldRequired, fieldTooLong, type FieldError } from './status.ts';

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFmt = `(${qualifiedNameFmt})?`;

const anchored = (fmt: string): RegExp => new RegExp(`^${fmt}$`);
const dns1123LabelRe = anchored(dns1123LabelFmt);
const dns1123SubdomainRe = anchored(dns1123SubdomainFmt);
const dns1035LabelRe = anchored(dns1035LabelFmt);
const qualifiedNameRe = anchored(qualifiedNameFmt);
const labelValueRe = anchored(labelValueFmt);

export const maxLenError = (n: number): string => `must be no more than ${n} characters`;
export const emptyError = (): string => 'must be non-empty';

/** Kubernetes' RegexError: the message, examples, then the regex. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  // Kubernetes joins examples as "'a', " + " or " — the double space is theirs.
  const ex = examples.map((e) => `'${e}', `).join(' or ');
  return `${msg} (e.g. ${ex}regex used for validation is '${fmt}')`;
}

export function isDNS1123Label(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) errs.push(maxLenError(63));
  if (!dns1123LabelRe.test(s)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        dns1123LabelFmt,
        'my-name',
        '123-abc',
      ),
    );
  }
  return errs;
}

export function isDNS1123Subdomain(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 253) errs.push(maxLenError(253));
  if (!dns1123SubdomainRe.test(s)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        dns1123SubdomainFmt,
        'example.com',
      ),
    );
  }
  return errs;
}

export function isDNS1035Label(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) errs.push(maxLenError(63));
  if (!dns1035LabelRe.test(s)) {
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        dns1035LabelFmt,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errs;
}

const qualifiedNameMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** Label and annotation keys: `[prefix/]name`. */
export function isQualifiedName(s: string): string[] {
  const errs: string[] = [];
  const parts = s.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(qualifiedNameMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!qualifiedNameRe.test(name)) errs.push(`name part ${regexError(qualifiedNameMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

export function isValidLabelValue(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(s)) {
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        labelValueFmt,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  }
  return errs;
}

/** A kind's name rule; `prefix` is true when checking generateName. */
export type NameFn = (name: string, prefix: boolean) => string[];

// generateName may end in '-': the random suffix follows it.
const maskTrailingDash = (s: string): string => (s.length > 1 && s.endsWith('-') ? `${s.slice(0, -1)}a` : s);

export const nameIsDNSSubdomain: NameFn = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
export const nameIsDNSLabel: NameFn = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
export const nameIsDNS1035Label: NameFn = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/** RBAC names: anything that is a safe URL path segment. */
export const nameIsPathSegment: NameFn = (name, prefix) => {
  const errs: string[] = [];
  if (!prefix && (name === '.' || name === '..')) errs.push(`may not be '${name}'`);
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
};

const totalAnnotationSizeLimit = 256 * 1024;

// Objects arrive as untyped JSON: anything of the wrong shape is reported, never thrown on.
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function notMapOfStrings(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null || isRecord(v)) return [];
  return [fieldInvalid(path, v, 'must be a map of string keys to string values')];
}

export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = notMapOfStrings(labels, path);
  if (!isRecord(labels)) return errs;
  for (const [k, v] of Object.entries(labels)) {
    for (const m of isQualifiedName(k)) errs.push(fieldInvalid(path, k, m));
    if (typeof v !== 'string') errs.push(fieldInvalid(path, v, 'must be a string'));
    else for (const m of isValidLabelValue(v)) errs.push(fieldInvalid(path, v, m));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = notMapOfStrings(annotations, path);
  if (!isRecord(annotations)) return errs;
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(fieldInvalid(path, k, m));
    if (typeof v !== 'string') errs.push(fieldInvalid(path, v, 'must be a string'));
    size += Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : '');
  }
  if (size > totalAnnotationSizeLimit) errs.push(fieldTooLong(path, '', totalAnnotationSizeLimit));
  return errs;
}

export function validateObjectMeta(meta: ObjectMeta | undefined, namespaced: boolean, nameFn: NameFn, path = 'metadata'): FieldError[] {
  if (meta !== undefined && !isRecord(meta)) return [fieldInvalid(path, meta, 'must be an object')];
  const errs: FieldError[] = [];
  const m: Record<string, unknown> = meta ?? {};
  const name = asString(m['name']);
  const generateName = asString(m['generateName']);
  const namespace = asString(m['namespace']);
  for (const f of ['name', 'generateName', 'namespace'] as const) {
    if (m[f] !== undefined && m[f] !== null && typeof m[f] !== 'string') errs.push(fieldInvalid(`${path}.${f}`, m[f], 'must be a string'));
  }
  if (generateName) for (const msg of nameFn(generateName, true)) errs.push(fieldInvalid(`${path}.generateName`, generateName, msg));
  if (!name) {
    if (!generateName) errs.push(fieldRequired(`${path}.name`, 'name or generateName is required'));
  } else {
    for (const msg of nameFn(name, false)) errs.push(fieldInvalid(`${path}.name`, name, msg));
  }
  if (namespaced) {
    if (!namespace) errs.push(fieldRequired(`${path}.namespace`));
    else for (const msg of isDNS1123Label(namespace)) errs.push(fieldInvalid(`${path}.namespace`, namespace, msg));
  } else if (namespace) {
    errs.push(fieldForbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  errs.push(...validateLabels(m['labels'] as Record<string, string> | undefined, `${path}.labels`));
  errs.push(...validateAnnotations(m['annotations'] as Record<string, string> | undefined, `${path}.annotations`));
  errs.push(...validateOwnerReferences(m['ownerReferences'], `${path}.ownerReferences`));
  const finalizers = m['finalizers'];
  if (finalizers !== undefined && finalizers !== null && !Array.isArray(finalizers)) errs.push(fieldInvalid(`${path}.finalizers`, finalizers, 'must be a list of strings'));
  for (const f of Array.isArray(finalizers) ? finalizers : []) {
    if (typeof f !== 'string') errs.push(fieldInvalid(`${path}.finalizers`, f, 'must be a string'));
    else for (const msg of isQualifiedName(f)) errs.push(fieldInvalid(`${path}.finalizers`, f, msg));
  }
  return errs;
}

function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  if (refs === undefined || refs === null) return [];
  if (!Array.isArray(refs)) return [fieldInvalid(path, refs, 'must be a list of owner references')];
  const errs: FieldError[] = [];
  const controllers: string[] = [];
  for (const raw of refs) {
    const r: Record<string, unknown> = isRecord(raw) ? raw : {};
    for (const [f, what] of [['apiVersion', 'version'], ['kind', 'kind'], ['name', 'name'], ['uid', 'uid']] as const) {
      if (!asString(r[f])) errs.push(fieldInvalid(`${path}.${f}`, r[f] ?? '', `${what} must not be empty`));
    }
    if (r['controller'] === true) controllers.push(`${asString(r['kind']) ?? ''}/${asString(r['name']) ?? ''}`);
  }
  if (controllers.length > 1) {
    errs.push(
      fieldInvalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`),
    );
  }
  return errs;
}

/** What may not change on update: name, namespace, uid, creationTimestamp. */
export function validateObjectMetaUpdate(next: ObjectMeta | undefined, old: ObjectMeta | undefined, path = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const n: Record<string, unknown> = isRecord(next) ? next : {};
  const o: Record<string, unknown> = isRecord(old) ? old : {};
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp'] as const) {
    // An unset value on update means "keep it": the server fills it in.
    if (n[f] !== undefined && o[f] !== undefined && n[f] !== o[f]) errs.push(fieldInvalid(`${path}.${f}`, n[f], 'field is immutable'));
  }
  return errs;
}

// Kubernetes' alphabet: no vowels (no words) and no look-alikes (0/o, 1/l).
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function generateNameSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += suffixAlphabet[Math.floor(Math.random() * suffixAlphabet.length)];
  return out;
}

/** Kubernetes' IsValidPortName (container and service port names). */
export function isValidPortName(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(s)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (s.includes('--')) errs.push('must not contain consecutive hyphens');
  if (s.length > 0 && !/[a-z]/.test(s)) errs.push('must contain at least one letter (a-z)');
  if (s.startsWith('-') || s.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function isValidPortNum(n: unknown): string[] {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}
