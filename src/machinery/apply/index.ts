// Server-side apply and managedFields: the entry points the API server calls.
export { applyPatch, type ApplyParams } from './apply-patch.ts';
export { updateManagedFields, type UpdateParams } from './update-managed-fields.ts';
export { lastAppliedAnnotation } from './last-applied.ts';
