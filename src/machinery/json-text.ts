// Reading JSON text in place, without parsing it: where a string token ends.
// The request checks and the watch decoder both step over strings this way.

/** Offset just past the closing quote of the JSON string opening at `start`; -1 if it is never closed. */
export function jsonStringEnd(text: string, start: number): number {
  let q = text.indexOf('"', start + 1);
  while (q >= 0) {
    let slashes = 0;
    while (text.charCodeAt(q - 1 - slashes) === 0x5c /* \ */) slashes++;
    // An even run of backslashes escapes only itself.
    if (slashes % 2 === 0) return q + 1;
    q = text.indexOf('"', q + 1);
  }
  return -1;
}
