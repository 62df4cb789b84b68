// A small schema of our own for the apply tests, under names no real type uses,
// so the tests do not depend on the real API tables.

import { array, field, freeForm, int32, keyedList, map, ref, string, type } from '../../api/schema/build.ts';
import { registerTypes } from '../../api/schema/index.ts';

const t = (name: string): string => `test.apply.v1.${name}`;

export const widgetType = t('Widget');

registerTypes([
  type(widgetType, 'A test object.', [
    field('apiVersion', 0, string, ''),
    field('kind', 0, string, ''),
    field('metadata', 1, ref(t('Meta')), ''),
    field('spec', 2, ref(t('Spec')), ''),
    field('status', 3, ref(t('Status')), ''),
  ]),
  type(t('Meta'), 'Object metadata.', [
    field('name', 1, string, ''),
    field('namespace', 2, string, ''),
    field('uid', 3, string, ''),
    field('resourceVersion', 4, string, ''),
    field('labels', 5, map(string), ''),
    field('annotations', 6, map(string), ''),
    field('finalizers', 7, array(string), '', { listType: 'set' }),
    field('managedFields', 8, array(freeForm), '', { listType: 'atomic' }),
  ]),
  type(t('Spec'), 'Desired state.', [
    field('replicas', 1, int32, ''),
    field('selector', 2, ref(t('Selector')), ''),
    keyedList('containers', 3, t('Container'), 'name', ''),
    field('tags', 4, array(string), '', { listType: 'set' }),
    field('command', 5, array(string), ''),
    field('config', 6, freeForm, ''),
    field('strategy', 7, ref(t('Strategy')), ''),
    // A strategic-merge list with no listType: a list-map in apply too.
    field('volumes', 8, array(ref(t('Volume'))), '', { patchStrategy: 'merge', patchMergeKey: 'name' }),
  ]),
  type(t('Selector'), 'Atomic selector.', [field('matchLabels', 1, map(string), '')], { atomic: true }),
  type(t('Container'), 'A container.', [
    field('name', 1, string, ''),
    field('image', 2, string, ''),
    field('args', 3, array(string), ''),
    field('ports', 4, array(ref(t('Port'))), '', { listType: 'map', listMapKeys: ['containerPort', 'protocol'] }),
  ]),
  type(t('Port'), 'A port.', [field('containerPort', 1, int32, ''), field('protocol', 2, string, ''), field('name', 3, string, '')]),
  type(t('Strategy'), 'Rollout strategy.', [field('type', 1, string, ''), field('rollingUpdate', 2, ref(t('Rolling')), '')]),
  type(t('Rolling'), 'Rolling parameters.', [field('maxSurge', 1, string, '')]),
  type(t('Volume'), 'A volume.', [field('name', 1, string, ''), field('path', 2, string, '')]),
  type(t('Status'), 'Observed state.', [field('ready', 1, int32, ''), keyedList('conditions', 2, t('Condition'), 'type', '')]),
  type(t('Condition'), 'A condition.', [field('type', 1, string, ''), field('status', 2, string, '')]),
]);
