// Go structs embedded with `json:",inline"` (Probe's ProbeHandler, Volume's
// VolumeSource, EphemeralContainer's common part, the LocalObjectReference in
// key selectors) are one flat object in JSON but a nested message in
// protobuf. The schema lists their fields flat, so OpenAPI, validation and
// patches see the JSON shape, and packs both proto numbers into protoTag:
// outer * INLINE_BASE + inner. Real field numbers stay far below INLINE_BASE.

export const INLINE_BASE = 1000;

/** protoTag of a field reached through the embedded message at `outer`. */
export function inlinedTag(outer: number, inner: number): number {
  return outer * INLINE_BASE + inner;
}

/** Splits a protoTag into the embedded message's number (0 if none) and the field's own number. */
export function splitInlinedTag(tag: number): { outer: number; inner: number } {
  if (tag < INLINE_BASE) return { outer: 0, inner: tag };
  return { outer: Math.floor(tag / INLINE_BASE), inner: tag % INLINE_BASE };
}
