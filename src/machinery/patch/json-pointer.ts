// RFC 6901 JSON pointers: "" is the whole document, "/a/0/b~1c" walks
// object keys and array indexes; "~1" stands for "/" and "~0" for "~".

import { malformedPatch } from './errors.ts';

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) {
    throw malformedPatch(`invalid JSON pointer "${pointer}": must be empty or start with "/"`);
  }
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) {
        throw malformedPatch(`invalid JSON pointer "${pointer}": "~" must be followed by "0" or "1"`);
      }
      return token.replaceAll('~1', '/').replaceAll('~0', '~');
    });
}

/** An array index token: "0" or digits without a leading zero. */
export function arrayIndex(token: string): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const n = Number(token);
  return Number.isSafeInteger(n) ? n : undefined;
}
