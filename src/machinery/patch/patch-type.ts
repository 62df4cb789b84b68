// The PATCH content types the API server accepts, and the dispatch from a
// request's Content-Type to the function that applies its body.

import { applyJsonPatch } from './json-patch.ts';
import { applyMergePatch } from './merge-patch.ts';
import { applyStrategicMergePatch } from './strategic-merge.ts';
import { malformedPatch } from './errors.ts';
import { describe, isJsonObject } from './json-value.ts';
import { statusError, StatusReason, type StatusError } from '../status.ts';

export const PatchType = {
  JSON: 'application/json-patch+json',
  Merge: 'application/merge-patch+json',
  StrategicMerge: 'application/strategic-merge-patch+json',
  Apply: 'application/apply-patch+yaml',
  /** Named so it can be recognised and refused: skiff does not speak CBOR. */
  ApplyCBOR: 'application/apply-patch+cbor',
} as const;
export type PatchType = (typeof PatchType)[keyof typeof PatchType];

/** The media type without parameters: "application/json-patch+json; charset=utf-8" → "application/json-patch+json". */
export function patchMediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Applies a decoded PATCH body to the stored object. `typeName` is the
 * schema name of the object's type (used by strategic merge only).
 * Server-side apply is not handled here: it throws 415 like any other type.
 */
export function applyPatchByType(contentType: string, doc: unknown, patch: unknown, typeName: string): unknown {
  switch (patchMediaType(contentType)) {
    case PatchType.JSON:
      return applyJsonPatch(doc, patch);
    case PatchType.Merge:
      requireObject(patch);
      return applyMergePatch(doc, patch);
    case PatchType.StrategicMerge:
      requireObject(patch);
      return applyStrategicMergePatch(doc, patch, typeName);
    default:
      throw unsupportedPatchType(contentType);
  }
}

// A merge patch for an API object must itself be an object, or it would replace the whole object.
function requireObject(patch: unknown): void {
  if (!isJsonObject(patch)) throw malformedPatch(`invalid merge patch: expected a JSON object, got ${describe(patch)}`);
}

export function unsupportedPatchType(contentType: string): StatusError {
  const accepted = [PatchType.JSON, PatchType.Merge, PatchType.Apply, PatchType.StrategicMerge].join(', ');
  return statusError(
    415,
    StatusReason.UnsupportedMediaType,
    `the body of the request was in an unknown format - accepted media types include: ${accepted}`,
  );
}
