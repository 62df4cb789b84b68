// core/v1 namespace-level kinds: ConfigMap, Secret, Namespace,
// ServiceAccount, Event and Binding. Field numbers from core/v1
// generated.proto.

import { array, boolean, bytes, core, field, gvk, int32, keyedList, map, meta, microTime, ref, string, time, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { FieldDef, TypeDef } from './types.ts';

const typeMeta: FieldDef[] = [
  field('apiVersion', 0, string, 'API version of this object.'),
  field('kind', 0, string, 'Kind of this object.'),
];
const objectMeta = field('metadata', 1, ref(meta('ObjectMeta')), 'Standard object metadata.');

const configMap = type(core('ConfigMap'), 'Non-secret configuration data for pods.', [
  ...typeMeta,
  objectMeta,
  field('immutable', 4, boolean, 'When true, data and binaryData can no longer change.'),
  field('data', 2, map(string), 'UTF-8 configuration values by key.'),
  field('binaryData', 3, map(bytes), 'Binary configuration values by key, base64 in JSON.'),
], { gvk: gvk('', 'v1', 'ConfigMap') });

const secret = type(core('Secret'), 'Sensitive data such as passwords, tokens or keys.', [
  ...typeMeta,
  objectMeta,
  field('immutable', 5, boolean, 'When true, data can no longer change.'),
  field('data', 2, map(bytes), 'Secret values by key, base64 in JSON.'),
  field('stringData', 4, map(string), 'Write-only plain-text values merged into data.'),
  field('type', 3, string, 'Kind of secret, e.g. Opaque or kubernetes.io/tls.'),
], { gvk: gvk('', 'v1', 'Secret') });

const namespace = type(core('Namespace'), 'A scope for names of namespaced objects.', [
  ...typeMeta,
  objectMeta,
  field('spec', 2, ref(core('NamespaceSpec')), 'Desired behaviour of the namespace.'),
  field('status', 3, ref(core('NamespaceStatus')), 'Observed state of the namespace.'),
], { gvk: gvk('', 'v1', 'Namespace') });

const namespaceSpec = type(core('NamespaceSpec'), 'Desired behaviour of a namespace.', [
  field('finalizers', 1, array(string), 'Values that must be cleared before the namespace is removed.', { listType: 'atomic' }),
]);

const namespaceStatus = type(core('NamespaceStatus'), 'Observed state of a namespace.', [
  field('phase', 1, string, 'Active or Terminating.', { enum: ['Active', 'Terminating'] }),
  keyedList('conditions', 2, core('NamespaceCondition'), 'type', 'Current conditions of the namespace.'),
]);

const namespaceCondition = type(core('NamespaceCondition'), 'One condition of a namespace.', [
  field('type', 1, string, 'Kind of condition.', { required: true }),
  field('status', 2, string, 'True, False or Unknown.', { required: true }),
  field('lastTransitionTime', 4, time, 'When the status last changed.'),
  field('reason', 5, string, 'CamelCase reason for the last transition.'),
  field('message', 6, string, 'Details about the last transition.'),
]);

const serviceAccount = type(core('ServiceAccount'), 'An identity for processes running in pods.', [
  ...typeMeta,
  objectMeta,
  keyedList('secrets', 2, core('ObjectReference'), 'name', 'Secrets pods of this account may use.'),
  field('imagePullSecrets', 3, array(ref(core('LocalObjectReference'))), 'Secrets used to pull images for pods of this account.', { listType: 'atomic' }),
  field('automountServiceAccountToken', 4, boolean, 'Whether pods get an API token mounted by default.'),
], { gvk: gvk('', 'v1', 'ServiceAccount') });

const event = type(core('Event'), 'A report of something that happened to an object.', [
  ...typeMeta,
  field('metadata', 1, ref(meta('ObjectMeta')), 'Standard object metadata.', { required: true }),
  field('involvedObject', 2, ref(core('ObjectReference')), 'Object the event is about.', { required: true }),
  field('reason', 3, string, 'Short machine-readable reason.'),
  field('message', 4, string, 'Human-readable description.'),
  field('source', 5, ref(core('EventSource')), 'Component that reported the event.'),
  field('firstTimestamp', 6, time, 'When the event was first recorded.'),
  field('lastTimestamp', 7, time, 'When the event was last recorded.'),
  field('count', 8, int32, 'How many times the event has happened.'),
  field('type', 9, string, 'Normal or Warning.', { enum: ['Normal', 'Warning'] }),
  field('eventTime', 10, microTime, 'When the event was first observed, with microseconds.'),
  field('series', 11, ref(core('EventSeries')), 'Series data for repeated events.'),
  field('action', 12, string, 'Action taken or failed on the object.'),
  field('related', 13, ref(core('ObjectReference')), 'Secondary object of the event.'),
  field('reportingComponent', 14, string, 'Controller that emitted the event, e.g. kubernetes.io/kubelet.'),
  field('reportingInstance', 15, string, 'Instance of that controller, e.g. kubelet-node1.'),
], { gvk: gvk('', 'v1', 'Event') });

const eventSource = type(core('EventSource'), 'Where an event came from.', [
  field('component', 1, string, 'Reporting component.'),
  field('host', 2, string, 'Node the event was generated on.'),
]);

const eventSeries = type(core('EventSeries'), 'A series of repeated events.', [
  field('count', 1, int32, 'Occurrences so far.'),
  field('lastObservedTime', 2, microTime, 'When the last occurrence was seen.'),
]);

const binding = type(core('Binding'), 'Binds an object to another, e.g. a pod to a node.', [
  ...typeMeta,
  objectMeta,
  field('target', 2, ref(core('ObjectReference')), 'Object to bind to.', { required: true }),
], { gvk: gvk('', 'v1', 'Binding') });

export const coreConfigTypes: readonly TypeDef[] = [
  configMap, secret, namespace, namespaceSpec, namespaceStatus, namespaceCondition, serviceAccount,
  event, eventSource, eventSeries, binding,
];

registerTypes(coreConfigTypes);
