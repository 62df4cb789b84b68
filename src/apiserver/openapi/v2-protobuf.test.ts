import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../api/install.ts';
import { decodeUtf8, readFields, type WireField } from '../../api/protobuf/wire.ts';
import { brokens, fixtureGroup, t, widgets } from './fixture.ts';
import { buildV2 } from './v2.ts';
import { encodeSchema, encodeV2Document, openApiV2Protobuf, wantsOpenApiV2Protobuf } from './v2-protobuf.ts';
import { ProtoWriter } from './v2-protobuf-writer.ts';

/** A generic view of one message: field number → occurrences, read from the wire and nothing else. */
class Msg {
  readonly fields: WireField[];
  constructor(buf: Uint8Array) {
    this.fields = readFields(buf);
  }
  private all(tag: number): WireField[] {
    return this.fields.filter((f) => f.tag === tag);
  }
  private bytesOf(tag: number): Uint8Array[] {
    return this.all(tag).map((f) => {
      assert.equal(f.wire, 2, `field ${tag} is length-delimited`);
      return (f as { data: Uint8Array }).data;
    });
  }
  has(tag: number): boolean {
    return this.all(tag).length > 0;
  }
  strs(tag: number): string[] {
    return this.bytesOf(tag).map(decodeUtf8);
  }
  str(tag: number): string | undefined {
    return this.strs(tag).at(-1);
  }
  msgs(tag: number): Msg[] {
    return this.bytesOf(tag).map((b) => new Msg(b));
  }
  msg(tag: number): Msg {
    const m = this.msgs(tag).at(-1);
    assert.ok(m, `field ${tag} present`);
    return m;
  }
  varint(tag: number): bigint | undefined {
    const f = this.all(tag).at(-1);
    if (!f) return undefined;
    assert.equal(f.wire, 0);
    return (f as { value: bigint }).value;
  }
  /** Repeated Named* {name = 1, value = 2} as a map. */
  named(tag: number): Map<string, Msg> {
    return new Map(this.msgs(tag).map((m) => [m.str(1) ?? '', m.msg(2)]));
  }
}

// Field numbers from gnostic's OpenAPIv2.proto, restated so the test checks the encoder against them.
const Doc = { swagger: 1, info: 2, paths: 8, definitions: 9, security: 12, securityDefinitions: 13 };
const S = { ref: 1, format: 2, description: 4, required: 19, enum: 20, additionalProperties: 21, type: 22, items: 23, properties: 25, vendor: 31 };

const definitionsOf = (doc: Msg): Map<string, Msg> => doc.msg(Doc.definitions).named(1);
const typeOf = (s: Msg): string[] => (s.has(S.type) ? s.msg(S.type).strs(1) : []);
const propertiesOf = (s: Msg): Map<string, Msg> => s.msg(S.properties).named(1);
/** Vendor extensions: name → the value parsed from Any.yaml (field 2), which is JSON text here. */
const extensionsOf = (s: Msg, tag = S.vendor): Record<string, unknown> =>
  Object.fromEntries(s.msgs(tag).map((na) => [na.str(1), JSON.parse(na.msg(2).str(2) ?? 'null') as unknown]));

describe('encodeV2Document', () => {
  const json = buildV2([widgets, brokens]);
  const doc = new Msg(encodeV2Document(json));

  it('carries swagger, info and one definition per JSON definition', () => {
    assert.equal(doc.str(Doc.swagger), '2.0');
    assert.equal(doc.msg(Doc.info).str(1), 'Kubernetes');
    assert.equal(doc.msg(Doc.info).str(2), 'v1.32.0');
    const defs = definitionsOf(doc);
    assert.deepEqual([...defs.keys()], Object.keys(json['definitions'] as object));
  });

  it('encodes object schemas: type, properties, required, refs and the group-version-kind', () => {
    const widget = definitionsOf(doc).get(t('Widget'))!;
    assert.deepEqual(typeOf(widget), ['object']);
    assert.equal(widget.str(S.description), 'A widget for tests.');
    assert.deepEqual(widget.strs(S.required), ['spec']);
    const props = propertiesOf(widget);
    assert.deepEqual([...props.keys()], ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.equal(props.get('spec')!.str(S.ref), `#/definitions/${t('WidgetSpec')}`);
    assert.equal(props.get('spec')!.str(S.description), 'Desired state.');
    assert.deepEqual(extensionsOf(widget)['x-kubernetes-group-version-kind'], [{ group: fixtureGroup, kind: 'Widget', version: 'v1' }]);
  });

  it('encodes scalars, maps, arrays, enums and list extensions', () => {
    const spec = propertiesOf(definitionsOf(doc).get(t('WidgetSpec'))!);
    assert.deepEqual(typeOf(spec.get('replicas')!), ['integer']);
    assert.equal(spec.get('replicas')!.str(S.format), 'int32');
    const limits = spec.get('limits')!;
    assert.deepEqual(typeOf(limits), ['object']);
    assert.equal(limits.msg(S.additionalProperties).msg(1).str(S.ref), '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity');
    const tags = spec.get('tags')!;
    assert.deepEqual(typeOf(tags), ['array']);
    assert.deepEqual(typeOf(tags.msg(S.items).msg(1)), ['string']);
    assert.deepEqual(extensionsOf(tags), { 'x-kubernetes-list-type': 'set' });
    const parts = extensionsOf(spec.get('parts')!);
    assert.equal(parts['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(parts['x-kubernetes-patch-strategy'], 'merge');
    assert.deepEqual(parts['x-kubernetes-list-map-keys'], ['name']);
    const mode = spec.get('mode')!;
    assert.deepEqual(mode.msgs(S.enum).map((a) => JSON.parse(a.str(2)!) as unknown), ['A', 'B']);
    assert.deepEqual(extensionsOf(spec.get('free')!), { 'x-kubernetes-preserve-unknown-fields': true });
  });

  it('encodes paths with operations, body and query parameters, and responses', () => {
    const paths = doc.msg(Doc.paths).named(2);
    const item = paths.get(`/apis/${fixtureGroup}/v1/namespaces/{namespace}/widgets/{name}`)!;
    const patch = item.msg(8);
    const jsonPatch = (json['paths'] as Record<string, Record<string, Record<string, unknown>>>)[`/apis/${fixtureGroup}/v1/namespaces/{namespace}/widgets/{name}`]!['patch']!;
    assert.equal(patch.str(5), jsonPatch['operationId']);
    assert.equal(patch.str(3), jsonPatch['description']);
    assert.ok(patch.strs(7).includes('application/merge-patch+json'), 'consumes');
    const params = patch.msgs(8).map((p) => p.msg(1));
    const body = params[0]!.msg(1);
    assert.equal(body.str(2), 'body');
    assert.equal(body.str(3), 'body');
    assert.equal(body.varint(4), 1n);
    assert.equal(body.msg(5).str(S.ref), '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
    const query = params.map((p) => (p.has(2) ? p.msg(2) : undefined)).find((nb) => nb?.has(3) && nb.msg(3).str(4) === 'fieldValidation');
    assert.ok(query, 'fieldValidation is a query parameter (NonBodyParameter field 3)');
    assert.equal(query.msg(3).str(6), 'string');
    const pathParams = item.msgs(9).map((p) => p.msg(1).msg(2));
    assert.ok(pathParams.some((nb) => nb.has(4) && nb.msg(4).str(4) === 'namespace' && nb.msg(4).varint(1) === 1n), 'namespace is a required path parameter');
    const ok = patch.msg(9).named(1).get('200')!.msg(1);
    assert.equal(ok.str(1), 'OK');
    assert.equal(ok.msg(2).msg(1).str(S.ref), `#/definitions/${t('Widget')}`);
    assert.deepEqual(extensionsOf(patch, 13)['x-kubernetes-group-version-kind'], { group: fixtureGroup, kind: 'Widget', version: 'v1' });
  });

  it('encodes the bearer token security scheme', () => {
    const scheme = doc.msg(Doc.securityDefinitions).named(1).get('BearerToken')!.msg(2);
    assert.deepEqual([scheme.str(1), scheme.str(2), scheme.str(3)], ['apiKey', 'authorization', 'header']);
    assert.equal(doc.msg(Doc.security).named(1).has('BearerToken'), true);
  });
});

describe('encodeSchema edge cases', () => {
  it('writes additionalProperties: false as the oneof boolean, and numbers by their wire types', () => {
    const w = new ProtoWriter();
    encodeSchema(w, { type: 'object', additionalProperties: false, maxLength: -1, maximum: 2.5, uniqueItems: true, default: { a: 1 } });
    const s = new Msg(w.finish());
    const ap = s.msg(S.additionalProperties);
    assert.equal(ap.varint(2), 0n);
    assert.equal(ap.has(1), false);
    assert.equal(BigInt.asIntN(64, s.varint(11)!), -1n);
    const max = s.fields.find((f) => f.tag === 7)!;
    assert.equal(max.wire, 1);
    assert.equal(new DataView((max as { bits: Uint8Array }).bits.slice().buffer).getFloat64(0, true), 2.5);
    assert.equal(s.varint(16), 1n);
    assert.deepEqual(JSON.parse(s.msg(5).str(2)!), { a: 1 });
  });

  it('uses multi-byte varint lengths for long strings and keeps non-ASCII text', () => {
    const long = `${'é'.repeat(200)}✓`;
    const s = new Msg(new ProtoWriter().string(4, long).finish());
    assert.equal(s.str(4), long);
    // Nested messages whose lengths need 1, 2 and 3 bytes, past the first buffer size.
    const big = 'x'.repeat(20_000);
    const nested = new Msg(
      new ProtoWriter()
        .message(1, (a) => a.message(2, (b) => b.string(3, 'y'.repeat(200)).message(4, (c) => c.string(5, big))).bool(6, true))
        .string(7, 'after')
        .finish(),
    );
    const a = nested.msg(1);
    assert.equal(a.msg(2).str(3), 'y'.repeat(200));
    assert.equal(a.msg(2).msg(4).str(5), big);
    assert.equal(a.varint(6), 1n);
    assert.equal(nested.str(7), 'after');
  });
});

describe('openApiV2Protobuf', () => {
  const real = new Msg(openApiV2Protobuf());
  const defs = definitionsOf(real);

  it('describes the real ConfigMap and Deployment for kubectl to validate against', () => {
    const cm = defs.get('io.k8s.api.core.v1.ConfigMap')!;
    assert.deepEqual(extensionsOf(cm)['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ConfigMap', version: 'v1' }]);
    const data = propertiesOf(cm).get('data')!;
    assert.deepEqual(typeOf(data.msg(S.additionalProperties).msg(1)), ['string']);
    assert.equal(propertiesOf(cm).get('metadata')!.str(S.ref), '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    const podSpec = propertiesOf(defs.get('io.k8s.api.core.v1.PodSpec')!);
    assert.equal(extensionsOf(podSpec.get('containers')!)['x-kubernetes-patch-merge-key'], 'name');
    assert.ok(defs.get('io.k8s.api.apps.v1.Deployment'));
    // Every reference resolves, as kubectl refuses a document with a dangling one.
    const refs: string[] = [];
    const walk = (m: Msg, depth: number): void => {
      if (depth > 8) return;
      refs.push(...m.strs(S.ref));
      for (const p of m.has(S.properties) ? propertiesOf(m).values() : []) walk(p, depth + 1);
      if (m.has(S.items)) for (const i of m.msg(S.items).msgs(1)) walk(i, depth + 1);
      if (m.has(S.additionalProperties) && m.msg(S.additionalProperties).has(1)) walk(m.msg(S.additionalProperties).msg(1), depth + 1);
    };
    for (const d of defs.values()) walk(d, 0);
    for (const r of refs) assert.ok(defs.has(r.replace('#/definitions/', '')), `unresolved ${r}`);
  });

  it('is computed once', () => {
    assert.equal(openApiV2Protobuf(), openApiV2Protobuf());
  });
});

describe('wantsOpenApiV2Protobuf', () => {
  it('follows the Accept header', () => {
    assert.equal(wantsOpenApiV2Protobuf('application/com.github.proto-openapi.spec.v2@v1.0+protobuf'), true);
    assert.equal(wantsOpenApiV2Protobuf('application/com.github.proto-openapi.spec.v2.v1.0+protobuf, application/json'), true);
    assert.equal(wantsOpenApiV2Protobuf('application/json, application/com.github.proto-openapi.spec.v2@v1.0+protobuf'), false);
    assert.equal(wantsOpenApiV2Protobuf('application/json'), false);
    assert.equal(wantsOpenApiV2Protobuf(''), false);
  });
});
