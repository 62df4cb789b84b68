// Kubernetes' $(VAR) expansion for env values, command and args: a defined
// variable is replaced, an undefined one is left as written, `$$` escapes a
// dollar, and any other `$` stays literal.

export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const at = input.indexOf('$', i);
    // A `$` as the last character is literal.
    if (at < 0 || at === input.length - 1) {
      out += input.slice(i);
      break;
    }
    out += input.slice(i, at);
    const next = input[at + 1];
    if (next === '$') {
      out += '$';
      i = at + 2;
    } else if (next === '(') {
      const close = input.indexOf(')', at + 2);
      if (close < 0) {
        // Unterminated: keep `$(` and go on scanning after it.
        out += '$(';
        i = at + 2;
      } else {
        const name = input.slice(at + 2, close);
        out += lookup(name) ?? `$(${name})`;
        i = close + 1;
      }
    } else {
      out += '$' + next;
      i = at + 2;
    }
  }
  return out;
}

/** Expands each string against a map of variables. */
export function expandAll(list: readonly string[] | undefined, vars: ReadonlyMap<string, string>): string[] {
  return (list ?? []).map((s) => expandVars(s, (n) => vars.get(n)));
}
