// Label selectors: the string syntax (`a=b,c in (x,y),!d`) and metav1.LabelSelector,
// parsed and matched the way Kubernetes does, with its error wording.

import { badRequest, fieldForbidden, fieldInvalid, fieldRequired, formatFieldError, type FieldError } from './status.ts';

// --- label keys and values (IsQualifiedName, IsValidLabelValue) ---

const nameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const nameRe = new RegExp(`^${nameFmt}$`);
const valueRe = new RegExp(`^(${nameFmt})?$`);
const subdomainFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const subdomainRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const nameMsg = `must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${nameFmt}')`;

/** Problems with a label key (optional DNS-subdomain prefix, '/', name ≤ 63); empty when valid. */
export function labelKeyErrors(key: string): string[] {
  const parts = key.split('/');
  let name = key;
  const errs: string[] = [];
  if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
    else if (!subdomainRe.test(prefix)) {
      errs.push(
        `prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${subdomainFmt}')`,
      );
    }
  } else if (parts.length > 2) {
    return [`a qualified name ${nameMsg} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !nameRe.test(name)) errs.push(`name part ${nameMsg}`);
  return errs;
}

/** Problems with a label value (empty, or ≤ 63 chars of the name charset); empty when valid. */
export function labelValueErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!valueRe.test(v)) {
    errs.push(
      `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(${nameFmt})?')`,
    );
  }
  return errs;
}

export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export type Requirement = { readonly key: string; readonly operator: Operator; readonly values: readonly string[] };

export type Selector = {
  readonly empty: boolean;
  readonly requirements: readonly Requirement[];
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  toString(): string;
};

export type LabelSelectorRequirement = { key: string; operator: string; values?: string[] | null };
export type LabelSelector = {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
};

function requirementMatches(r: Requirement, labels: Readonly<Record<string, string>> | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, r.key);
  const v = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return v !== undefined && r.values.includes(v);
    case 'notin':
    case '!=':
      return v === undefined || !r.values.includes(v);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (v === undefined || !/^[+-]?\d+$/.test(v)) return false;
      const have = BigInt(v);
      const want = BigInt(r.values[0] ?? '0');
      return r.operator === 'gt' ? have > want : have < want;
    }
  }
}

export function requirementToString(r: Requirement): string {
  const vals = [...r.values].sort();
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${vals.join(',')})`;
    case 'gt':
      return `${r.key}>${vals[0] ?? ''}`;
    case 'lt':
      return `${r.key}<${vals[0] ?? ''}`;
    default:
      return `${r.key}${r.operator}${vals[0] ?? ''}`;
  }
}

function makeSelector(reqs: Requirement[]): Selector {
  // Kubernetes keeps requirements sorted by key, which makes String() canonical.
  const requirements = [...reqs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    empty: requirements.length === 0,
    requirements,
    matches: (labels) => requirements.every((r) => requirementMatches(r, labels)),
    toString: () => requirements.map(requirementToString).join(','),
  };
}

const everythingSelector = makeSelector([]);
const nothingSelector: Selector = {
  empty: false,
  requirements: [],
  matches: () => false,
  toString: () => '',
};

export const everything = (): Selector => everythingSelector;
export const nothing = (): Selector => nothingSelector;

/** Builds a validated requirement; throws a plain Error worded like Kubernetes' field errors. */
export function newRequirement(key: string, operator: Operator, values: readonly string[]): Requirement {
  const keyErrs = labelKeyErrors(key);
  if (keyErrs.length > 0) throw new Error(formatFieldError(fieldInvalid('key', key, keyErrs.join('; '))));
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) throw new Error(formatFieldError(fieldInvalid('values', values, "for 'in', 'notin' operators, values set can't be empty")));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) throw new Error(formatFieldError(fieldInvalid('values', values, 'exact-match compatibility requires one single value')));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) throw new Error(formatFieldError(fieldInvalid('values', values, 'values set must be empty for exists and does not exist')));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) throw new Error(formatFieldError(fieldInvalid('values', values, "for 'Gt', 'Lt' operators, exactly one value is required")));
      if (!/^[+-]?\d+$/.test(values[0] ?? '')) throw new Error(formatFieldError(fieldInvalid('values[0]', values[0], "for 'Gt', 'Lt' operators, the value must be an integer")));
      return { key, operator, values: [...values] };
  }
  values.forEach((v, i) => {
    const errs = labelValueErrors(v);
    if (errs.length > 0) throw new Error(formatFieldError(fieldInvalid(`values[${i}][${key}]`, v, errs.join('; '))));
  });
  return { key, operator, values: [...new Set(values)].sort() };
}

// --- the string syntax ---

type Tok =
  | 'id'
  | 'in'
  | 'notin'
  | '!'
  | '!='
  | '='
  | '=='
  | '>'
  | '<'
  | '('
  | ')'
  | ','
  | 'eos';
type Token = { tok: Tok; lit: string };

const specialChars = new Set(['=', '!', '(', ')', ',', '>', '<']);
const symbols: readonly Tok[] = ['!=', '==', '!', '=', '>', '<', '(', ')', ','];

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (specialChars.has(c)) {
      const sym = symbols.find((t) => s.startsWith(t, i)) as Tok;
      out.push({ tok: sym, lit: sym });
      i += sym.length;
      continue;
    }
    let j = i;
    while (j < s.length && !specialChars.has(s[j] as string) && !/\s/.test(s[j] as string)) j++;
    const lit = s.slice(i, j);
    out.push({ tok: lit === 'in' ? 'in' : lit === 'notin' ? 'notin' : 'id', lit });
    i = j;
  }
  out.push({ tok: 'eos', lit: '' });
  return out;
}

class Parser {
  private pos = 0;
  private readonly toks: Token[];
  constructor(s: string) {
    this.toks = tokenize(s);
  }

  // In a value position the keywords `in`/`notin` are ordinary identifiers.
  private peek(asValue = true): Token {
    const t = this.toks[this.pos] ?? { tok: 'eos', lit: '' };
    return asValue && (t.tok === 'in' || t.tok === 'notin') ? { tok: 'id', lit: t.lit } : t;
  }
  private next(asValue = true): Token {
    const t = this.peek(asValue);
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const t = this.peek();
      if (t.tok === 'eos') return reqs;
      if (t.tok !== 'id' && t.tok !== '!') throw new Error(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.requirement());
      } catch (e) {
        throw new Error(`unable to parse requirement: ${(e as Error).message}`);
      }
      const after = this.next();
      if (after.tok === 'eos') return reqs;
      if (after.tok !== ',') throw new Error(`found '${after.lit}', expected: ',' or 'end of string'`);
      const t2 = this.peek();
      if (t2.tok !== 'id' && t2.tok !== '!') throw new Error(`found '${t2.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let op: Operator | undefined;
    let t = this.next();
    if (t.tok === '!') {
      op = '!';
      t = this.next();
    }
    if (t.tok !== 'id') throw new Error(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = labelKeyErrors(key);
    if (keyErrs.length > 0) throw new Error(formatFieldError(fieldInvalid('key', key, keyErrs.join('; '))));
    const la = this.peek().tok;
    if (op === '!' || la === 'eos' || la === ',') return newRequirement(key, op ?? 'exists', []);
    const o = this.next(false);
    switch (o.tok) {
      case 'in':
      case 'notin':
        return newRequirement(key, o.tok, this.valueSet());
      case '=':
      case '==':
      case '!=':
        return newRequirement(key, o.tok, [this.exactValue()]);
      case '>':
        return newRequirement(key, 'gt', [this.exactValue()]);
      case '<':
        return newRequirement(key, 'lt', [this.exactValue()]);
      default:
        throw new Error(`found '${o.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private exactValue(): string {
    const la = this.peek();
    if (la.tok === 'eos' || la.tok === ',') return '';
    const t = this.next();
    if (t.tok === 'id') return t.lit;
    throw new Error(`found '${t.lit}', expected: identifier`);
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.tok !== '(') throw new Error(`found '${open.lit}', expected: '('`);
    const la = this.peek();
    if (la.tok === ')') {
      // `()` is the set holding only the empty value, as in Kubernetes.
      this.next();
      return [''];
    }
    if (la.tok !== 'id' && la.tok !== ',') throw new Error(`found '${la.lit}', expected: ',', ')' or identifier`);
    const vals = this.identifierList();
    const close = this.next();
    if (close.tok !== ')') throw new Error(`found '${close.lit}', expected: ')'`);
    return vals;
  }

  // A missing item between commas is the empty value, as in Kubernetes: `(a,,b)`.
  private identifierList(): string[] {
    const vals: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.tok === 'id') {
        vals.push(t.lit);
        const la = this.peek();
        if (la.tok === ')') return vals;
        if (la.tok !== ',') throw new Error(`found '${la.lit}', expected: ',' or ')'`);
      } else if (t.tok === ',') {
        if (vals.length === 0) vals.push('');
        const la = this.peek();
        if (la.tok === ')') {
          vals.push('');
          return vals;
        }
        if (la.tok === ',') {
          this.next();
          vals.push('');
        }
      } else {
        throw new Error(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
  }
}

/** Parses `a=b,c!=d,e in (x,y),f notin (z),g,!h`; throws a 400 StatusError on bad input. */
export function parseSelector(s: string): Selector {
  try {
    return makeSelector(new Parser(s).parse());
  } catch (e) {
    throw badRequest((e as Error).message);
  }
}

// A Map: an operator such as "constructor" must not find Object.prototype's function.
const selectorOperators = new Map<string, Operator>([['In', 'in'], ['NotIn', 'notin'], ['Exists', 'exists'], ['DoesNotExist', '!']]);

/** metav1.LabelSelector → Selector: null/undefined selects nothing, `{}` everything. Throws 400. */
export function selectorFromLabelSelector(ls: LabelSelector | undefined | null): Selector {
  if (ls === undefined || ls === null) return nothing();
  const reqs: Requirement[] = [];
  try {
    for (const [k, v] of Object.entries(ls.matchLabels ?? {})) reqs.push(newRequirement(k, '=', [v]));
    for (const e of ls.matchExpressions ?? []) {
      const op = selectorOperators.get(e.operator);
      if (op === undefined) throw new Error(`${JSON.stringify(e.operator)} is not a valid label selector operator`);
      reqs.push(newRequirement(e.key, op, e.values ?? []));
    }
  } catch (e) {
    throw badRequest((e as Error).message);
  }
  return reqs.length === 0 ? everything() : makeSelector(reqs);
}

/** The string form used in scale status.selector: `app=web,tier in (a,b)`; `` for `{}` or null. */
export function labelSelectorToString(ls: LabelSelector | undefined | null): string {
  return selectorFromLabelSelector(ls).toString();
}

/** As kubectl prints a selector column: `<none>` when empty or absent, `<error>` when invalid. */
export function formatLabelSelector(ls: LabelSelector | undefined | null): string {
  if (ls === undefined || ls === null) return '<none>';
  try {
    return selectorFromLabelSelector(ls).toString() || '<none>';
  } catch {
    return '<error>';
  }
}

/** A plain `map[string]string` selector (Service, ReplicationController) as a Selector. */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined | null): Selector {
  if (!set) return everything();
  return makeSelector(Object.entries(set).map(([key, v]) => ({ key, operator: '=' as const, values: [v] })));
}

// --- validation of stored objects (field errors rather than a 400) ---

/** As ValidateLabels: every key and value of a label map, reported at `path`. */
export function validateLabels(labels: Readonly<Record<string, string>> | undefined | null, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of labelKeyErrors(k)) errs.push(fieldInvalid(path, k, msg));
    for (const msg of labelValueErrors(v)) errs.push(fieldInvalid(path, v, msg));
  }
  return errs;
}

/** As ValidateLabelSelector: field errors under `path` (e.g. `spec.selector`). */
export function validateLabelSelector(ls: LabelSelector | undefined | null, path: string): FieldError[] {
  if (!ls) return [];
  const errs = validateLabels(ls.matchLabels, `${path}.matchLabels`);
  (ls.matchExpressions ?? []).forEach((e, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    const values = e.values ?? [];
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (values.length === 0) errs.push(fieldRequired(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (values.length > 0) errs.push(fieldForbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      errs.push(fieldInvalid(`${at}.operator`, e.operator, 'not a valid selector operator'));
    }
    for (const msg of labelKeyErrors(e.key)) errs.push(fieldInvalid(`${at}.key`, e.key, msg));
    values.forEach((v, j) => {
      for (const msg of labelValueErrors(v)) errs.push(fieldInvalid(`${at}.values[${j}]`, v, msg));
    });
  });
  return errs;
}
