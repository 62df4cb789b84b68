// meta/v1: the object metadata, selectors, conditions, delete options and
// Status shared by every API group. Field numbers from apimachinery's
// pkg/apis/meta/v1/generated.proto.

import { array, boolean, field, freeForm, int32, int64, keyedList, map, meta, ref, string, time, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { TypeDef } from './types.ts';

const objectMeta = type(meta('ObjectMeta'), 'Metadata every persisted object carries: identity, labels, annotations, ownership and lifecycle stamps.', [
  field('name', 1, string, 'Name of the object, unique within its namespace and kind; cannot be changed.'),
  field('generateName', 2, string, 'Prefix the server uses to make a unique name when name is empty.'),
  field('namespace', 3, string, 'Namespace the object lives in; empty for cluster-scoped kinds.'),
  field('selfLink', 4, string, 'Legacy URL of the object; no longer filled in.'),
  field('uid', 5, string, 'Unique identifier the server assigns at creation.'),
  field('resourceVersion', 6, string, 'Opaque version used for optimistic concurrency and watches.'),
  field('generation', 7, int64, 'Sequence number of the desired state, bumped by the server on spec changes.'),
  field('creationTimestamp', 8, time, 'When the server created the object.'),
  field('deletionTimestamp', 9, time, 'When graceful deletion was requested; set by the server.'),
  field('deletionGracePeriodSeconds', 10, int64, 'Seconds the object has to terminate once deletion is requested.'),
  field('labels', 11, map(string), 'Key/value pairs used to organise and select objects.'),
  field('annotations', 12, map(string), 'Unstructured key/value data for tools; not used for selection.'),
  keyedList('ownerReferences', 13, meta('OwnerReference'), 'uid', 'Objects this one depends on; it is garbage collected when they are all gone.'),
  field('finalizers', 14, array(string), 'Names that must all be removed before the object is deleted from storage.', { patchStrategy: 'merge', listType: 'set' }),
  field('managedFields', 17, array(ref(meta('ManagedFieldsEntry'))), 'Which field manager owns which fields, for server-side apply.', { listType: 'atomic' }),
]);

const listMeta = type(meta('ListMeta'), 'Metadata of a list response.', [
  field('selfLink', 1, string, 'Legacy URL of the list; no longer filled in.'),
  field('resourceVersion', 2, string, 'Version of the collection this list was read at.'),
  field('continue', 3, string, 'Token for fetching the next page when the list was limited.'),
  field('remainingItemCount', 4, int64, 'Estimated number of items left after this page.'),
]);

const ownerReference = type(meta('OwnerReference'), 'Points at an object that owns this one, in the same namespace or cluster-scoped.', [
  field('apiVersion', 5, string, 'API version of the owner.', { required: true }),
  field('kind', 1, string, 'Kind of the owner.', { required: true }),
  field('name', 3, string, 'Name of the owner.', { required: true }),
  field('uid', 4, string, 'UID of the owner.', { required: true }),
  field('controller', 6, boolean, 'True when the owner is the managing controller.'),
  field('blockOwnerDeletion', 7, boolean, 'When true, foreground deletion of the owner waits for this object.'),
], { atomic: true });

const managedFieldsEntry = type(meta('ManagedFieldsEntry'), 'One field manager, the operation it used, and the set of fields it owns.', [
  field('manager', 1, string, 'Name of the workflow that manages these fields.'),
  field('operation', 2, string, 'Operation that produced the entry: Apply or Update.', { enum: ['Apply', 'Update'] }),
  field('apiVersion', 3, string, 'API version the field set is expressed in.'),
  field('time', 4, time, 'When the entry last changed.'),
  field('fieldsType', 6, string, 'Format of fieldsV1; always FieldsV1.'),
  field('fieldsV1', 7, freeForm, 'The owned fields as a trie of f:, k:, v: and i: keys.'),
  field('subresource', 8, string, 'Subresource the update came through, empty for the main resource.'),
]);

const labelSelector = type(meta('LabelSelector'), 'A label query; matchLabels and matchExpressions are ANDed, an empty selector matches everything.', [
  field('matchLabels', 1, map(string), 'Labels that must all be present with these values.'),
  field('matchExpressions', 2, array(ref(meta('LabelSelectorRequirement'))), 'Set-based requirements that must all hold.', { listType: 'atomic' }),
], { atomic: true });

const labelSelectorRequirement = type(meta('LabelSelectorRequirement'), 'One set-based requirement on a label key.', [
  field('key', 1, string, 'Label key the requirement applies to.', { required: true }),
  field('operator', 2, string, 'How the key relates to the values: In, NotIn, Exists or DoesNotExist.', { required: true, enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }),
  field('values', 3, array(string), 'Values for In and NotIn; must be empty for Exists and DoesNotExist.', { listType: 'atomic' }),
]);

const condition = type(meta('Condition'), 'A standard condition reporting one aspect of an object\'s state.', [
  field('type', 1, string, 'Kind of condition, in CamelCase.', { required: true }),
  field('status', 2, string, 'True, False or Unknown.', { required: true, enum: ['True', 'False', 'Unknown'] }),
  field('observedGeneration', 3, int64, 'Generation of the object the condition was computed from.'),
  field('lastTransitionTime', 4, time, 'When the status last changed.', { required: true }),
  field('reason', 5, string, 'Machine-readable CamelCase reason for the last transition.', { required: true }),
  field('message', 6, string, 'Human-readable details about the last transition.', { required: true }),
]);

const deleteOptions = type(meta('DeleteOptions'), 'Options that may accompany a delete request.', [
  field('apiVersion', 0, string, 'API version of this options object.'),
  field('kind', 0, string, 'Kind of this options object.'),
  field('gracePeriodSeconds', 1, int64, 'Seconds to wait before deleting; zero means now.'),
  field('preconditions', 2, ref(meta('Preconditions')), 'Conditions that must hold for the delete to go ahead.'),
  field('orphanDependents', 3, boolean, 'Deprecated: whether dependents are orphaned; use propagationPolicy.'),
  field('propagationPolicy', 4, string, 'How dependents are garbage collected: Orphan, Background or Foreground.', { enum: ['Orphan', 'Background', 'Foreground'] }),
  field('dryRun', 5, array(string), 'When set to All, the delete is checked but not persisted.', { listType: 'atomic' }),
  field('ignoreStoreReadErrorWithClusterBreakingPotential', 6, boolean, 'Force-delete an object that storage cannot decode; unsafe.'),
], { gvk: [{ group: '', version: 'v1', kind: 'DeleteOptions' }, { group: 'meta.k8s.io', version: 'v1', kind: 'DeleteOptions' }] });

const preconditions = type(meta('Preconditions'), 'Conditions an object must meet before an update or delete.', [
  field('uid', 1, string, 'UID the object must have.'),
  field('resourceVersion', 2, string, 'Resource version the object must be at.'),
]);

const status = type(meta('Status'), 'Result of a call that returns no object, and every API error.', [
  field('apiVersion', 0, string, 'API version of this Status.'),
  field('kind', 0, string, 'Always Status.'),
  field('metadata', 1, ref(meta('ListMeta')), 'List-style metadata.'),
  field('status', 2, string, 'Success or Failure.'),
  field('message', 3, string, 'Human-readable description of the outcome.'),
  field('reason', 4, string, 'Machine-readable reason for a failure.'),
  field('details', 5, ref(meta('StatusDetails')), 'Extra data that depends on the reason.'),
  field('code', 6, int32, 'Suggested HTTP status code.'),
], { gvk: [{ group: '', version: 'v1', kind: 'Status' }] });

const statusDetails = type(meta('StatusDetails'), 'Extra information about a Status, such as the object concerned and the causes.', [
  field('name', 1, string, 'Name of the object the status is about.'),
  field('group', 2, string, 'API group of the object the status is about.'),
  field('kind', 3, string, 'Kind of the object the status is about.'),
  field('uid', 6, string, 'UID of the object the status is about.'),
  field('causes', 4, array(ref(meta('StatusCause'))), 'Individual problems behind the failure.', { listType: 'atomic' }),
  field('retryAfterSeconds', 5, int32, 'Seconds the client should wait before retrying.'),
]);

const statusCause = type(meta('StatusCause'), 'One problem behind a failed request.', [
  field('reason', 1, string, 'Machine-readable cause.'),
  field('message', 2, string, 'Human-readable cause.'),
  field('field', 3, string, 'Path of the field at fault, e.g. spec.replicas.'),
]);

export const metaTypes: readonly TypeDef[] = [
  objectMeta, listMeta, ownerReference, managedFieldsEntry, labelSelector, labelSelectorRequirement,
  condition, deleteOptions, preconditions, status, statusDetails, statusCause,
];

registerTypes(metaTypes);
