// `/openapi/v2` as the gnostic `openapi.v2.Document` protobuf message, the only
// form kubectl asks for when it validates objects client-side (kind List, or
// servers without fieldValidation). The input is the JSON v2 document, so both
// forms always carry the same content. Field numbers are those of gnostic's
// openapiv2/OpenAPIv2.proto.

import type { ServerResponse } from 'node:http';
import { openApiV2 } from './v2.ts';
import { ProtoWriter } from './v2-protobuf-writer.ts';

/** What kubectl sends in Accept. The `@` is not a MIME token character, so it cannot be the reply's type. */
export const openApiV2ProtobufAccept = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/** The reply's Content-Type, as kube-apiserver sends it: Go's mime.ParseMediaType (in kubectl) rejects the `@` form. */
export const openApiV2ProtobufType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const entries = (v: unknown): [string, unknown][] => (isObject(v) ? Object.entries(v) : []);
const vendorKeys = (o: Json): [string, unknown][] => Object.entries(o).filter(([k]) => k.startsWith('x-'));

type Write = (w: ProtoWriter) => void;

/** gnostic `Any`: the value as YAML text in field 2. JSON is YAML, and what Go's yaml readers parse. */
const any =
  (value: unknown): Write =>
  (w) =>
    w.string(2, `${JSON.stringify(value)}\n`);

/** Repeated `NamedAny` for the `x-` keys of an object. */
function vendorExtensions(w: ProtoWriter, field: number, o: Json): void {
  for (const [name, value] of vendorKeys(o)) w.message(field, (na) => na.string(1, name).message(2, any(value)));
}

/** A JSON object of named values as repeated `Named*` messages {name = 1, value = 2}. */
function named(w: ProtoWriter, field: number, map: unknown, value: (w: ProtoWriter, v: Json) => void): void {
  for (const [name, v] of entries(map)) if (isObject(v)) w.message(field, (n) => n.string(1, name).message(2, (m) => value(m, v)));
}

/** Writes the fields of an `openapi.v2.Schema`. */
export function encodeSchema(w: ProtoWriter, s: Json): void {
  w.string(1, s['$ref']).string(2, s['format']).string(3, s['title']).string(4, s['description']);
  if ('default' in s) w.message(5, any(s['default']));
  w.double(6, s['multipleOf'])
    .double(7, s['maximum'])
    .bool(8, s['exclusiveMaximum'])
    .double(9, s['minimum'])
    .bool(10, s['exclusiveMinimum'])
    .int64(11, s['maxLength'])
    .int64(12, s['minLength'])
    .string(13, s['pattern'])
    .int64(14, s['maxItems'])
    .int64(15, s['minItems'])
    .bool(16, s['uniqueItems'])
    .int64(17, s['maxProperties'])
    .int64(18, s['minProperties'])
    .strings(19, s['required']);
  if (Array.isArray(s['enum'])) for (const v of s['enum']) w.message(20, any(v));
  const ap = s['additionalProperties'];
  // AdditionalPropertiesItem is a oneof {schema = 1; boolean = 2}.
  if (isObject(ap)) w.message(21, (a) => a.message(1, (m) => encodeSchema(m, ap)));
  else if (typeof ap === 'boolean') w.message(21, (a) => a.bool(2, ap, true));
  const type = s['type'];
  if (type !== undefined) w.message(22, (t) => t.strings(1, Array.isArray(type) ? type : [type]));
  const items = s['items'];
  if (items !== undefined) {
    w.message(23, (it) => {
      for (const i of Array.isArray(items) ? items : [items]) if (isObject(i)) it.message(1, (m) => encodeSchema(m, i));
    });
  }
  if (Array.isArray(s['allOf'])) for (const a of s['allOf']) if (isObject(a)) w.message(24, (m) => encodeSchema(m, a));
  const props = s['properties'];
  if (isObject(props)) w.message(25, (p) => named(p, 1, props, encodeSchema));
  w.string(26, s['discriminator']).bool(27, s['readOnly']);
  if ('example' in s) w.message(30, any(s['example']));
  vendorExtensions(w, 31, s);
}

/** ParametersItem: a JsonReference or a Parameter (body, or one of the non-body kinds by `in`). */
function encodeParameter(w: ProtoWriter, p: Json): void {
  if (typeof p['$ref'] === 'string') {
    w.message(2, (r) => r.string(1, p['$ref']).string(2, p['description']));
    return;
  }
  w.message(1, (parameter) => {
    if (p['in'] !== 'body') {
      parameter.message(2, (nb) => encodeNonBody(nb, p));
      return;
    }
    parameter.message(1, (body) => {
      body.string(1, p['description']).string(2, p['name']).string(3, p['in']).bool(4, p['required']);
      const schema = p['schema'];
      if (isObject(schema)) body.message(5, (m) => encodeSchema(m, schema));
      vendorExtensions(body, 6, p);
    });
  });
}

/**
 * NonBodyParameter oneof: header = 1, formData = 2, query = 3, path = 4. Query and
 * formData have `allow_empty_value` at 5, which shifts their later fields by one.
 */
function encodeNonBody(w: ProtoWriter, p: Json): void {
  const where = p['in'];
  const kind = where === 'header' ? 1 : where === 'formData' ? 2 : where === 'path' ? 4 : 3;
  const shift = kind === 2 || kind === 3 ? 1 : 0;
  w.message(kind, (sub) => {
    sub.bool(1, p['required']).string(2, p['in']).string(3, p['description']).string(4, p['name']);
    if (shift) sub.bool(5, p['allowEmptyValue']);
    sub
      .string(5 + shift, p['type'])
      .string(6 + shift, p['format'])
      .string(8 + shift, p['collectionFormat']);
    if ('default' in p) sub.message(9 + shift, any(p['default']));
    sub.string(16 + shift, p['pattern']).bool(19 + shift, p['uniqueItems']);
    if (Array.isArray(p['enum'])) for (const v of p['enum']) sub.message(20 + shift, any(v));
    vendorExtensions(sub, 22 + shift, p);
  });
}

/** Responses{response_code = 1: NamedResponseValue}; each value a Response or a JsonReference. */
function encodeResponses(w: ProtoWriter, responses: Json): void {
  named(w, 1, responses, (v, r) => {
    if (typeof r['$ref'] === 'string') {
      v.message(2, (ref) => ref.string(1, r['$ref']));
      return;
    }
    v.message(1, (response) => {
      response.string(1, r['description']);
      const schema = r['schema'];
      if (isObject(schema)) response.message(2, (item) => item.message(1, (m) => encodeSchema(m, schema)));
      vendorExtensions(response, 5, r);
    });
  });
  vendorExtensions(w, 2, responses);
}

function encodeOperation(w: ProtoWriter, op: Json): void {
  w.strings(1, op['tags']).string(2, op['summary']).string(3, op['description']).string(5, op['operationId']).strings(6, op['produces']).strings(7, op['consumes']);
  if (Array.isArray(op['parameters'])) for (const p of op['parameters']) if (isObject(p)) w.message(8, (m) => encodeParameter(m, p));
  const responses = op['responses'];
  if (isObject(responses)) w.message(9, (m) => encodeResponses(m, responses));
  w.strings(10, op['schemes']).bool(11, op['deprecated']);
  vendorExtensions(w, 13, op);
}

const pathItemFields = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 } as const;

function encodePathItem(w: ProtoWriter, item: Json): void {
  w.string(1, item['$ref']);
  for (const [method, field] of Object.entries(pathItemFields)) {
    const op = item[method];
    if (isObject(op)) w.message(field, (m) => encodeOperation(m, op));
  }
  if (Array.isArray(item['parameters'])) for (const p of item['parameters']) if (isObject(p)) w.message(9, (m) => encodeParameter(m, p));
  vendorExtensions(w, 10, item);
}

/** SecurityDefinitionsItem oneof: basic = 1, apiKey = 2 (the OAuth2 flows are not served). */
function encodeSecurityScheme(w: ProtoWriter, s: Json): void {
  if (s['type'] === 'basic') {
    w.message(1, (basic) => {
      basic.string(1, s['type']).string(2, s['description']);
      vendorExtensions(basic, 3, s);
    });
    return;
  }
  w.message(2, (apiKey) => {
    apiKey.string(1, s['type']).string(2, s['name']).string(3, s['in']).string(4, s['description']);
    vendorExtensions(apiKey, 5, s);
  });
}

/** The whole swagger 2.0 document as an `openapi.v2.Document`. */
export function encodeV2Document(doc: Json): Uint8Array {
  const w = new ProtoWriter().string(1, doc['swagger']);
  const info = doc['info'];
  if (isObject(info)) {
    w.message(2, (i) => {
      i.string(1, info['title']).string(2, info['version']).string(3, info['description']).string(4, info['termsOfService']);
      vendorExtensions(i, 7, info);
    });
  }
  w.string(3, doc['host']).string(4, doc['basePath']).strings(5, doc['schemes']).strings(6, doc['consumes']).strings(7, doc['produces']);
  const paths = doc['paths'];
  if (isObject(paths)) {
    w.message(8, (m) => {
      vendorExtensions(m, 1, paths);
      named(m, 2, Object.fromEntries(entries(paths).filter(([k]) => !k.startsWith('x-'))), encodePathItem);
    });
  }
  const definitions = doc['definitions'];
  if (isObject(definitions)) w.message(9, (m) => named(m, 1, definitions, encodeSchema));
  if (Array.isArray(doc['security'])) {
    // SecurityRequirement{additional_properties = 1: NamedStringArray{name, StringArray{value = 1}}}
    for (const req of doc['security']) {
      w.message(12, (r) => {
        for (const [name, scopes] of entries(req)) r.message(1, (n) => n.string(1, name).message(2, (a) => a.strings(1, scopes)));
      });
    }
  }
  const schemes = doc['securityDefinitions'];
  if (isObject(schemes)) w.message(13, (m) => named(m, 1, schemes, encodeSecurityScheme));
  vendorExtensions(w, 16, doc);
  return w.finish();
}

let cached: { json: string; bytes: Uint8Array } | undefined;

/** `GET /openapi/v2` in protobuf; re-encoded only when the JSON document changes. */
export function openApiV2Protobuf(): Uint8Array {
  const json = openApiV2();
  if (cached?.json !== json) cached = { json, bytes: encodeV2Document(JSON.parse(json) as Json) };
  return cached.bytes;
}

/** True when the Accept header prefers the protobuf form (listed, and before any JSON). */
export function wantsOpenApiV2Protobuf(accept: string): boolean {
  const at = [accept.indexOf(openApiV2ProtobufAccept), accept.indexOf(openApiV2ProtobufType)].filter((i) => i >= 0);
  const pb = at.length > 0 ? Math.min(...at) : -1;
  if (pb < 0) return false;
  const json = accept.indexOf('application/json');
  return json < 0 || pb < json;
}

export function sendOpenApiV2Protobuf(res: ServerResponse): void {
  const body = openApiV2Protobuf();
  res.writeHead(200, { 'Content-Type': openApiV2ProtobufType, 'Content-Length': body.length, 'Cache-Control': 'no-cache, private' });
  res.end(body);
}
