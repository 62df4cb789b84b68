// The patch functions the API server calls.
export { applyPatchByType, PatchType, patchMediaType, unsupportedPatchType } from './patch-type.ts';
export { applyJsonPatch, decodeJsonPatch, maxJsonPatchOperations, type JsonPatchOperation } from './json-patch.ts';
export { applyMergePatch } from './merge-patch.ts';
export { applyStrategicMergePatch } from './strategic-merge.ts';
