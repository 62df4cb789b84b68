// Test-only TypeDefs mirroring a few real kinds with their real proto field
// numbers, registered under a test group so they never meet the real schema.

import { array, boolean, bytes, field, freeForm, int32, int64, intOrString, keyedList, map, microTime, quantity, rawExtension, ref, string, time, type } from '../schema/build.ts';
import { registerTypes } from '../schema/index.ts';

export const testGroup = 'prototest.skiff.io';
export const testApiVersion = `${testGroup}/v1`;
const n = (s: string): string => `test.protobuf.${s}`;
const gvk = (kind: string) => ({ gvk: [{ group: testGroup, version: 'v1', kind }] });
const obj = (kind: string, ...rest: ReturnType<typeof field>[]) =>
  type(n(kind), kind, [field('metadata', 1, ref(n('ObjectMeta')), ''), ...rest], gvk(kind));

registerTypes([
  type(n('ObjectMeta'), '', [
    field('name', 1, string, ''),
    field('generateName', 2, string, ''),
    field('namespace', 3, string, ''),
    field('uid', 5, string, ''),
    field('resourceVersion', 6, string, ''),
    field('generation', 7, int64, ''),
    field('creationTimestamp', 8, time, ''),
    field('deletionGracePeriodSeconds', 10, int64, ''),
    field('labels', 11, map(string), ''),
    field('annotations', 12, map(string), ''),
    field('finalizers', 14, array(string), ''),
    field('managedFields', 17, array(ref(n('ManagedFieldsEntry'))), ''),
  ]),
  type(n('ManagedFieldsEntry'), '', [
    field('manager', 1, string, ''),
    field('operation', 2, string, ''),
    field('time', 4, time, ''),
    field('fieldsType', 6, string, ''),
    field('fieldsV1', 7, freeForm, ''),
  ]),
  type(n('LabelSelector'), '', [field('matchLabels', 1, map(string), '')]),
  type(n('PodTemplateSpec'), '', [field('metadata', 1, ref(n('ObjectMeta')), ''), field('spec', 2, ref(n('PodSpec')), '')]),
  type(n('PodSpec'), '', [
    keyedList('volumes', 1, n('Volume'), 'name', ''),
    keyedList('containers', 2, n('Container'), 'name', ''),
    field('restartPolicy', 3, string, ''),
    field('terminationGracePeriodSeconds', 4, int64, ''),
  ]),
  type(n('Volume'), '', [field('name', 1, string, ''), field('emptyDir', 2, ref(n('EmptyDirVolumeSource')), '')]),
  type(n('EmptyDirVolumeSource'), '', [field('medium', 1, string, ''), field('sizeLimit', 2, quantity, '')]),
  type(n('Container'), '', [
    field('name', 1, string, ''),
    field('image', 2, string, ''),
    field('command', 3, array(string), ''),
    field('args', 4, array(string), ''),
    field('resources', 8, ref(n('ResourceRequirements')), ''),
    field('imagePullPolicy', 14, string, ''),
  ]),
  type(n('ResourceRequirements'), '', [field('limits', 1, map(quantity), ''), field('requests', 2, map(quantity), '')]),
  obj('Deployment', field('spec', 2, ref(n('DeploymentSpec')), ''), field('status', 3, ref(n('DeploymentStatus')), '')),
  type(n('DeploymentSpec'), '', [
    field('replicas', 1, int32, ''),
    field('selector', 2, ref(n('LabelSelector')), ''),
    field('template', 3, ref(n('PodTemplateSpec')), ''),
    field('strategy', 4, ref(n('DeploymentStrategy')), ''),
    field('minReadySeconds', 5, int32, ''),
    field('paused', 7, boolean, ''),
  ]),
  type(n('DeploymentStrategy'), '', [field('type', 1, string, '')]),
  type(n('DeploymentStatus'), '', [field('replicas', 2, int32, '')]),
  obj('ConfigMap', field('data', 2, map(string), ''), field('binaryData', 3, map(bytes), ''), field('immutable', 4, boolean, '')),
  obj('Secret', field('data', 2, map(bytes), ''), field('type', 3, string, ''), field('stringData', 4, map(string), '')),
  obj('Namespace', field('spec', 2, ref(n('NamespaceSpec')), '')),
  type(n('NamespaceSpec'), '', [field('finalizers', 1, array(string), '')]),
  obj('Job', field('spec', 2, ref(n('JobSpec')), '')),
  type(n('JobSpec'), '', [
    field('parallelism', 1, int32, ''),
    field('completions', 2, int32, ''),
    field('template', 6, ref(n('PodTemplateSpec')), ''),
    field('backoffLimit', 7, int32, ''),
  ]),
  obj('CronJob', field('spec', 2, ref(n('CronJobSpec')), '')),
  type(n('CronJobSpec'), '', [
    field('schedule', 1, string, ''),
    field('suspend', 4, boolean, ''),
    field('jobTemplate', 5, ref(n('JobTemplateSpec')), ''),
    field('timeZone', 8, string, ''),
  ]),
  type(n('JobTemplateSpec'), '', [field('metadata', 1, ref(n('ObjectMeta')), ''), field('spec', 2, ref(n('JobSpec')), '')]),
  obj('Service', field('spec', 2, ref(n('ServiceSpec')), '')),
  type(n('ServiceSpec'), '', [
    keyedList('ports', 1, n('ServicePort'), 'port', ''),
    field('selector', 2, map(string), ''),
    field('clusterIP', 3, string, ''),
    field('type', 4, string, ''),
  ]),
  type(n('ServicePort'), '', [
    field('name', 1, string, ''),
    field('protocol', 2, string, ''),
    field('port', 3, int32, ''),
    field('targetPort', 4, intOrString, ''),
    field('nodePort', 5, int32, ''),
  ]),
  obj('ServiceAccount', field('secrets', 2, array(ref(n('ObjectReference'))), ''), field('automountServiceAccountToken', 4, boolean, '')),
  type(n('ObjectReference'), '', [field('kind', 1, string, ''), field('name', 3, string, '')]),
  obj('Event', field('eventTime', 2, microTime, ''), field('payload', 3, rawExtension, ''), field('ratios', 4, array(int32), '')),
]);
