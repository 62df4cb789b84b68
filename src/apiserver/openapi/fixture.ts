// Test-only: a small group of TypeDefs and resources to build documents from.

import type { ResourceInfo } from '../../api/scheme.ts';
import { array, boolean, bytes, double, field, freeForm, int32, int64, intOrString, keyedList, map, microTime, quantity, rawExtension, ref, string, time, type } from '../../api/schema/build.ts';
import { registerTypes } from '../../api/schema/index.ts';

export const fixtureGroup = 'openapi-test.skiff.io';
export const t = (s: string): string => `test.openapi.${s}`;

registerTypes([
  type(
    t('Widget'),
    'A widget for tests.',
    [
      field('apiVersion', 0, string, 'API version.'),
      field('kind', 0, string, 'Kind.'),
      field('metadata', 1, ref(t('Meta')), 'Metadata.'),
      field('spec', 2, ref(t('WidgetSpec')), 'Desired state.', { required: true }),
    ],
    { gvk: [{ group: fixtureGroup, version: 'v1', kind: 'Widget' }] },
  ),
  type(t('Meta'), 'Metadata.', [field('name', 1, string, 'Name.'), field('labels', 2, map(string), 'Labels.')]),
  type(t('WidgetSpec'), 'Widget spec.', [
    field('replicas', 1, int32, 'Count.'),
    field('big', 2, int64, 'Big.'),
    field('ratio', 3, double, 'Ratio.'),
    field('on', 4, boolean, 'On.'),
    field('blob', 5, bytes, 'Blob.'),
    field('cpu', 6, quantity, 'CPU.'),
    field('port', 7, intOrString, 'Port.'),
    field('since', 8, time, 'Since.'),
    field('at', 9, microTime, 'At.'),
    field('raw', 10, rawExtension, 'Raw.'),
    field('free', 11, freeForm, 'Free.'),
    field('mode', 12, string, 'Mode.', { enum: ['A', 'B'] }),
    keyedList('parts', 13, t('Part'), 'name', 'Parts.'),
    field('tags', 14, array(string), 'Tags.', { listType: 'set' }),
    field('selector', 15, ref(t('Selector')), 'Selector.'),
    field('limits', 16, map(quantity), 'Limits.'),
  ]),
  type(t('Part'), 'A part, which may hold parts.', [field('name', 1, string, 'Name.', { required: true }), field('children', 2, array(ref(t('Part'))), 'Sub-parts.')]),
  type(t('Selector'), 'Selector.', [field('match', 1, map(string), 'Match.')], { atomic: true }),
  type(t('Broken'), 'Refers to a type nobody registered.', [field('metadata', 1, ref(t('Meta')), 'Metadata.'), field('ghost', 2, ref(t('Ghost')), 'Missing.')], {
    gvk: [{ group: fixtureGroup, version: 'v1', kind: 'Broken' }],
  }),
]);

function resource(kind: string, resource: string, namespaced: boolean, subresources: ResourceInfo['subresources']): ResourceInfo {
  return {
    group: fixtureGroup,
    version: 'v1',
    kind,
    listKind: `${kind}List`,
    resource,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: [],
    categories: [],
    subresources,
    schema: t(kind),
    fields: {},
    storagePrefix: `/registry/${fixtureGroup}/${resource}/`,
  };
}

export const widgets = resource('Widget', 'widgets', true, ['status', 'scale']);
export const brokens = resource('Broken', 'brokens', false, []);

/** Every `$ref` in a document. */
export function refsIn(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) refsIn(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.push(x);
      else refsIn(x, out);
    }
  }
  return out;
}
