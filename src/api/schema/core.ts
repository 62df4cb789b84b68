// core/v1 building blocks shared by many kinds: object references, key and
// field selectors, and node selectors. Field numbers from core/v1
// generated.proto.

import { array, boolean, core, field, int32, quantity, ref, string, type } from './build.ts';
import { inlinedTag } from './core-inline.ts';
import { registerTypes } from './index.ts';
import type { TypeDef } from './types.ts';

// Several selectors embed LocalObjectReference as message 1; its only field is name.
const embeddedName = (description: string) => field('name', inlinedTag(1, 1), string, description);

const objectReference = type(core('ObjectReference'), 'A reference to any object, with enough detail to find it.', [
  field('kind', 1, string, 'Kind of the referent.'),
  field('namespace', 2, string, 'Namespace of the referent.'),
  field('name', 3, string, 'Name of the referent.'),
  field('uid', 4, string, 'UID of the referent.'),
  field('apiVersion', 5, string, 'API version of the referent.'),
  field('resourceVersion', 6, string, 'Resource version of the referent this reference was made at.'),
  field('fieldPath', 7, string, 'Part of the object referred to, e.g. spec.containers{web}.'),
], { atomic: true });

const localObjectReference = type(core('LocalObjectReference'), 'A reference by name to an object in the same namespace.', [
  field('name', 1, string, 'Name of the referent.'),
], { atomic: true });

const typedLocalObjectReference = type(core('TypedLocalObjectReference'), 'A typed reference to an object in the same namespace.', [
  field('apiGroup', 1, string, 'API group of the referent; empty for the core group.'),
  field('kind', 2, string, 'Kind of the referent.', { required: true }),
  field('name', 3, string, 'Name of the referent.', { required: true }),
], { atomic: true });

const typedObjectReference = type(core('TypedObjectReference'), 'A typed reference to an object, possibly in another namespace.', [
  field('apiGroup', 1, string, 'API group of the referent; empty for the core group.'),
  field('kind', 2, string, 'Kind of the referent.', { required: true }),
  field('name', 3, string, 'Name of the referent.', { required: true }),
  field('namespace', 4, string, 'Namespace of the referent.'),
]);

const secretReference = type(core('SecretReference'), 'A reference to a Secret in any namespace.', [
  field('name', 1, string, 'Name of the Secret.'),
  field('namespace', 2, string, 'Namespace of the Secret.'),
], { atomic: true });

const objectFieldSelector = type(core('ObjectFieldSelector'), 'Selects a field of the pod.', [
  field('apiVersion', 1, string, 'API version the field path is written in; defaults to v1.'),
  field('fieldPath', 2, string, 'Path of the field to select.', { required: true }),
], { atomic: true });

const resourceFieldSelector = type(core('ResourceFieldSelector'), 'Selects a resource request or limit of a container.', [
  field('containerName', 1, string, 'Container to read; required for volumes.'),
  field('resource', 2, string, 'Resource to select, e.g. limits.cpu.', { required: true }),
  field('divisor', 3, quantity, 'Unit the value is expressed in; defaults to 1.'),
], { atomic: true });

const configMapKeySelector = type(core('ConfigMapKeySelector'), 'Selects one key of a ConfigMap.', [
  embeddedName('Name of the ConfigMap.'),
  field('key', 2, string, 'Key to select.', { required: true }),
  field('optional', 3, boolean, 'Whether the ConfigMap or key may be missing.'),
], { atomic: true });

const secretKeySelector = type(core('SecretKeySelector'), 'Selects one key of a Secret.', [
  embeddedName('Name of the Secret.'),
  field('key', 2, string, 'Key to select.', { required: true }),
  field('optional', 3, boolean, 'Whether the Secret or key may be missing.'),
], { atomic: true });

const configMapEnvSource = type(core('ConfigMapEnvSource'), 'A ConfigMap whose keys become environment variables.', [
  embeddedName('Name of the ConfigMap.'),
  field('optional', 2, boolean, 'Whether the ConfigMap may be missing.'),
]);

const secretEnvSource = type(core('SecretEnvSource'), 'A Secret whose keys become environment variables.', [
  embeddedName('Name of the Secret.'),
  field('optional', 2, boolean, 'Whether the Secret may be missing.'),
]);

const keyToPath = type(core('KeyToPath'), 'Maps a key to a file path within a volume.', [
  field('key', 1, string, 'Key to project.', { required: true }),
  field('path', 2, string, 'Relative path of the file.', { required: true }),
  field('mode', 3, int32, 'Permission bits of the file.'),
]);

const nodeSelector = type(core('NodeSelector'), 'A node query: the OR of its terms.', [
  field('nodeSelectorTerms', 1, array(ref(core('NodeSelectorTerm'))), 'Terms, any of which may match.', { required: true, listType: 'atomic' }),
], { atomic: true });

const nodeSelectorTerm = type(core('NodeSelectorTerm'), 'Requirements on node labels and fields, all of which must hold.', [
  field('matchExpressions', 1, array(ref(core('NodeSelectorRequirement'))), 'Requirements on node labels.', { listType: 'atomic' }),
  field('matchFields', 2, array(ref(core('NodeSelectorRequirement'))), 'Requirements on node fields.', { listType: 'atomic' }),
], { atomic: true });

const nodeSelectorRequirement = type(core('NodeSelectorRequirement'), 'A requirement relating a key to a set of values.', [
  field('key', 1, string, 'Label or field key.', { required: true }),
  field('operator', 2, string, 'In, NotIn, Exists, DoesNotExist, Gt or Lt.', { required: true, enum: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] }),
  field('values', 3, array(string), 'Values to compare with.', { listType: 'atomic' }),
]);

const topologySelectorTerm = type(core('TopologySelectorTerm'), 'A topology query: label requirements that must all hold.', [
  field('matchLabelExpressions', 1, array(ref(core('TopologySelectorLabelRequirement'))), 'Requirements on topology labels.', { listType: 'atomic' }),
], { atomic: true });

const topologySelectorLabelRequirement = type(core('TopologySelectorLabelRequirement'), 'A topology label that must have one of some values.', [
  field('key', 1, string, 'Label key.', { required: true }),
  field('values', 2, array(string), 'Values, any of which may match.', { required: true, listType: 'atomic' }),
]);

export const coreTypes: readonly TypeDef[] = [
  objectReference, localObjectReference, typedLocalObjectReference, typedObjectReference, secretReference,
  objectFieldSelector, resourceFieldSelector, configMapKeySelector, secretKeySelector, configMapEnvSource,
  secretEnvSource, keyToPath, nodeSelector, nodeSelectorTerm, nodeSelectorRequirement, topologySelectorTerm,
  topologySelectorLabelRequirement,
];

registerTypes(coreTypes);
