// Field selectors (`spec.nodeName=n1,status.phase!=Failed`), parsed as Kubernetes' fields.ParseSelector:
// terms split on unescaped commas, values may be empty, `\` escapes `\`, `,` and `=`.

import { badRequest } from './status.ts';

export type FieldRequirement = { readonly field: string; readonly op: '=' | '!='; readonly value: string };

export type FieldSelector = {
  readonly empty: boolean;
  readonly requirements: readonly FieldRequirement[];
  /** `fields(name)` gives an object's value for a selectable field; absent counts as "". */
  matches(fields: (name: string) => string | undefined): boolean;
  toString(): string;
};

/** Escapes a value for use in a field selector string. */
export function escapeFieldValue(v: string): string {
  return v.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function unescapeValue(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\') {
      const n = s[i + 1];
      if (n !== '\\' && n !== ',' && n !== '=') throw badRequest(`invalid field selector: invalid escape sequence: \\${n ?? ''}`);
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      throw badRequest(`invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  return out;
}

// Splits on commas not preceded by an escaping backslash.
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

const operators = ['!=', '==', '='] as const;

// The first operator found splits the term; the field name itself has no escapes.
function parseTerm(term: string, selector: string): FieldRequirement {
  for (let i = 0; i < term.length; i++) {
    const op = operators.find((o) => term.startsWith(o, i));
    if (op !== undefined) {
      return { field: term.slice(0, i), op: op === '!=' ? '!=' : '=', value: unescapeValue(term.slice(i + op.length)) };
    }
  }
  throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
}

function makeFieldSelector(requirements: FieldRequirement[]): FieldSelector {
  return {
    empty: requirements.length === 0,
    requirements,
    matches: (fields) =>
      requirements.every((r) => {
        const v = fields(r.field) ?? '';
        return r.op === '=' ? v === r.value : v !== r.value;
      }),
    toString: () => requirements.map((r) => `${r.field}${r.op}${escapeFieldValue(r.value)}`).join(','),
  };
}

/** Parses a field selector; throws a 400 StatusError on syntax errors. */
export function parseFieldSelector(s: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  // Terms are sorted, as Kubernetes does, so equal selectors print alike.
  for (const term of splitTerms(s).sort()) {
    if (term === '') continue;
    reqs.push(parseTerm(term, s));
  }
  return makeFieldSelector(reqs);
}

/** The value a selector requires of `field` with `=`, if any (e.g. metadata.name for single-object watches). */
export function requiresExactMatch(sel: FieldSelector, field: string): string | undefined {
  return sel.requirements.find((r) => r.field === field && r.op === '=')?.value;
}
