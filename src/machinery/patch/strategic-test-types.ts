// Small TypeDefs for the strategic merge tests, under names no real type uses,
// so the tests do not depend on the schema tables of the real API.

import { registerTypes } from '../../api/schema/index.ts';
import { array, field, int32, keyedList, map, ref, string, type } from '../../api/schema/build.ts';

const t = (name: string): string => `test.patch.v1.${name}`;

export const testDeployment = t('Deployment');
export const testPod = t('Pod');

registerTypes([
  type(t('ObjectMeta'), 'meta', [
    field('name', 1, string, 'name'),
    field('labels', 11, map(string), 'labels'),
    field('finalizers', 14, array(string), 'finalizers', { patchStrategy: 'merge' }),
    keyedList('ownerReferences', 13, t('OwnerReference'), 'uid', 'owners'),
  ]),
  type(t('OwnerReference'), 'owner', [field('uid', 4, string, 'uid'), field('name', 3, string, 'name')]),
  type(testDeployment, 'deployment', [field('metadata', 1, ref(t('ObjectMeta')), 'meta'), field('spec', 2, ref(t('DeploymentSpec')), 'spec')]),
  type(t('DeploymentSpec'), 'spec', [
    field('replicas', 1, int32, 'replicas'),
    field('selector', 2, ref(t('LabelSelector')), 'selector', { patchStrategy: 'replace' }),
    field('template', 3, ref(t('PodTemplateSpec')), 'template'),
    field('strategy', 4, ref(t('Strategy')), 'strategy', { patchStrategy: 'retainKeys' }),
  ]),
  type(t('LabelSelector'), 'selector', [field('matchLabels', 1, map(string), 'labels')]),
  type(t('Strategy'), 'strategy', [field('type', 1, string, 'type'), field('rollingUpdate', 2, ref(t('RollingUpdate')), 'ru')]),
  type(t('RollingUpdate'), 'ru', [field('maxSurge', 1, string, 'surge'), field('maxUnavailable', 2, string, 'unavailable')]),
  type(t('PodTemplateSpec'), 'template', [field('metadata', 1, ref(t('ObjectMeta')), 'meta'), field('spec', 2, ref(t('PodSpec')), 'spec')]),
  type(testPod, 'pod', [field('metadata', 1, ref(t('ObjectMeta')), 'meta'), field('spec', 2, ref(t('PodSpec')), 'spec')]),
  type(t('PodSpec'), 'pod spec', [
    keyedList('containers', 2, t('Container'), 'name', 'containers'),
    keyedList('volumes', 1, t('Volume'), 'name', 'volumes', { patchStrategy: 'merge,retainKeys' }),
    field('tolerations', 22, array(ref(t('Toleration'))), 'tolerations'),
    field('nodeSelector', 7, map(string), 'node selector'),
  ]),
  type(t('Container'), 'container', [
    field('name', 1, string, 'name'),
    field('image', 2, string, 'image'),
    field('args', 4, array(string), 'args'),
    keyedList('ports', 6, t('ContainerPort'), 'containerPort', 'ports'),
    keyedList('env', 7, t('EnvVar'), 'name', 'env'),
    field('resources', 8, ref(t('Resources')), 'resources'),
  ]),
  type(t('ContainerPort'), 'port', [field('containerPort', 3, int32, 'port'), field('protocol', 4, string, 'protocol'), field('name', 1, string, 'name')]),
  type(t('EnvVar'), 'env', [field('name', 1, string, 'name'), field('value', 2, string, 'value')]),
  type(t('Resources'), 'resources', [field('limits', 1, map(string), 'limits'), field('requests', 2, map(string), 'requests')]),
  type(t('Volume'), 'volume', [field('name', 1, string, 'name'), field('emptyDir', 2, map(string), 'emptyDir'), field('configMap', 3, map(string), 'configMap')]),
  type(t('Toleration'), 'toleration', [field('key', 1, string, 'key'), field('effect', 2, string, 'effect')]),
]);
