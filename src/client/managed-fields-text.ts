// Watch events as text, with the object's metadata.managedFields cut out
// before JSON.parse. Informers drop managedFields anyway (no component reads
// them), and in a pod's event they are a third of the text: not decoding them
// saves that much parsing and every object it would build.
//
// The text is read token by token as JSON.stringify and Go's encoder write it
// (no whitespace): the event's members up to "object", the object's up to
// "metadata", metadata's up to "managedFields". Anything else (whitespace,
// no such member) leaves the text as it is; the caller still drops what
// parsing gives, so the result is the same either way, only slower.

import { jsonStringEnd } from '../machinery/json-text.ts';

/** `line` without `"managedFields":…` in the metadata of its `object`. */
export function withoutManagedFieldsText(line: string): string {
  const object = memberValue(line, 0, '"object"');
  if (object < 0) return line;
  const metadata = memberValue(line, object, '"metadata"');
  if (metadata < 0) return line;
  const key = memberStart(line, metadata, '"managedFields"');
  if (key < 0) return line;
  const end = valueEnd(line, key + '"managedFields":'.length);
  if (end < 0) return line;
  // Take the comma after the member, or else the one before it.
  if (line.charCodeAt(end) === 0x2c) return line.slice(0, key) + line.slice(end + 1);
  if (line.charCodeAt(key - 1) === 0x2c) return line.slice(0, key - 1) + line.slice(end);
  return line.slice(0, key) + line.slice(end);
}

/** Where the value of member `name` of the object opening at `open` starts; -1 if it has none. */
function memberValue(text: string, open: number, name: string): number {
  const at = memberStart(text, open, name);
  return at < 0 ? -1 : at + name.length + 1;
}

/** Where member `name` (quoted) of the object opening at `open` starts; -1 if it has none. */
function memberStart(text: string, open: number, name: string): number {
  if (text.charCodeAt(open) !== 0x7b /* { */) return -1;
  let i = open + 1;
  while (text.charCodeAt(i) === 0x22 /* " */) {
    const keyEnd = jsonStringEnd(text, i);
    if (keyEnd < 0 || text.charCodeAt(keyEnd) !== 0x3a /* : */) return -1;
    if (keyEnd - i === name.length && text.startsWith(name, i)) return i;
    const end = valueEnd(text, keyEnd + 1);
    if (end < 0 || text.charCodeAt(end) !== 0x2c /* , */) return -1;
    i = end + 1;
  }
  return -1;
}

/** Offset just past the value starting at `i`; -1 if the text ends first. */
function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return jsonStringEnd(text, i);
  if (c !== 0x7b && c !== 0x5b /* { [ */) {
    // A number, true, false or null: up to what follows it in its container.
    while (i < text.length) {
      const d = text.charCodeAt(i);
      if (d === 0x2c || d === 0x7d || d === 0x5d) return i;
      i++;
    }
    return -1;
  }
  let depth = 0;
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d === 0x22) {
      i = jsonStringEnd(text, i);
      if (i < 0) return -1;
      continue;
    }
    if (d === 0x7b || d === 0x5b) depth++;
    else if ((d === 0x7d || d === 0x5d) && --depth === 0) return i + 1;
    i++;
  }
  return -1;
}
