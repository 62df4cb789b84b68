// TypeDefs → OpenAPI schemas, shared by the v2 (`#/definitions/`) and v3
// (`#/components/schemas/`) documents. Shapes follow what Kubernetes serves,
// since kubectl explain and kubectl's patch computation read them.

import { lookupType } from '../../api/schema/index.ts';
import type { FieldDef, FieldType, Scalar, TypeDef } from '../../api/schema/types.ts';

export type Flavor = 'v2' | 'v3';
export type Schema = Record<string, unknown>;

const metaName = (s: string) => `io.k8s.apimachinery.pkg.apis.meta.v1.${s}`;

/** Scalars Kubernetes publishes as named schemas, as kubectl explain shows them (`<Quantity>`, `<Time>`). */
const namedScalars: Partial<Record<Scalar, { name: string; schema: Schema }>> = {
  quantity: {
    name: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
    schema: {
      description: 'A fixed-point number with a unit suffix, e.g. `500m`, `1.5`, `128Mi`, `2Gi`; serialized as a string.',
      type: 'string',
    },
  },
  intOrString: {
    name: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    schema: {
      description: 'A value that is either an integer or a string (e.g. a port number or a port name).',
      type: 'string',
      format: 'int-or-string',
      'x-kubernetes-int-or-string': true,
    },
  },
  time: {
    name: metaName('Time'),
    schema: { description: 'A timestamp in RFC 3339 form, with second precision.', type: 'string', format: 'date-time' },
  },
  microTime: {
    name: metaName('MicroTime'),
    schema: { description: 'A timestamp in RFC 3339 form, with microsecond precision.', type: 'string', format: 'date-time' },
  },
  rawExtension: {
    name: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
    schema: { description: 'An embedded object of any kind, as JSON.', type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

/** Collects the schemas reachable from some roots; `missing` names refs with no TypeDef. */
export class SchemaSet {
  readonly schemas = new Map<string, Schema>();
  readonly missing = new Set<string>();
  private readonly flavor: Flavor;
  private readonly prefix: string;

  constructor(flavor: Flavor) {
    this.flavor = flavor;
    this.prefix = flavor === 'v3' ? '#/components/schemas/' : '#/definitions/';
  }

  refTo(name: string): Schema {
    return { $ref: `${this.prefix}${name}` };
  }

  /** Adds a TypeDef and everything it references; false when it is not registered. */
  addType(name: string): boolean {
    if (this.schemas.has(name)) return true;
    const def = lookupType(name);
    if (!def) {
      // A stand-in keeps every $ref resolvable; `missing` tells the caller.
      this.missing.add(name);
      this.schemas.set(name, { description: 'Schema not published yet.', type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
      return false;
    }
    this.schemas.set(name, {}); // placeholder: stops recursion on cyclic types
    this.schemas.set(name, this.typeSchema(def));
    return true;
  }

  /** Adds a schema built here (a list kind, or a stand-in for an unregistered meta type). */
  addSchema(name: string, schema: Schema): void {
    if (!this.schemas.has(name) || this.missing.has(name)) this.schemas.set(name, schema);
  }

  /** The schemas sorted by name, for a stable document and hash. */
  sorted(): Record<string, Schema> {
    return Object.fromEntries([...this.schemas.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private typeSchema(def: TypeDef): Schema {
    const s: Schema = { description: def.description, type: 'object' };
    const fields = [...def.fields].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (fields.length > 0) s['properties'] = Object.fromEntries(fields.map((f) => [f.name, this.fieldSchema(f)]));
    const required = def.fields.filter((f) => f.required).map((f) => f.name);
    if (required.length > 0) s['required'] = required;
    if (def.gvk && def.gvk.length > 0) s['x-kubernetes-group-version-kind'] = def.gvk.map((g) => ({ group: g.group, kind: g.kind, version: g.version }));
    if (def.atomic) s['x-kubernetes-map-type'] = 'atomic';
    if (def.fields.length === 0) s['x-kubernetes-preserve-unknown-fields'] = true;
    return s;
  }

  private fieldSchema(f: FieldDef): Schema {
    const s = this.described(this.typeOf(f.type), f.description);
    if (f.enum && f.enum.length > 0) s['enum'] = [...f.enum];
    if (f.patchStrategy) s['x-kubernetes-patch-strategy'] = f.patchStrategy;
    if (f.patchMergeKey) s['x-kubernetes-patch-merge-key'] = f.patchMergeKey;
    if (f.listType) s['x-kubernetes-list-type'] = f.listType;
    if (f.listMapKeys && f.listMapKeys.length > 0) s['x-kubernetes-list-map-keys'] = [...f.listMapKeys];
    if (f.mapType) s['x-kubernetes-map-type'] = f.mapType;
    return s;
  }

  /** A schema with a description beside it. */
  described(base: Schema, description: string): Schema {
    // In 3.0 a $ref has no siblings, so Kubernetes wraps it in allOf to keep the description.
    if ('$ref' in base && this.flavor === 'v3') return { allOf: [base], description };
    return { ...base, description };
  }

  typeOf(t: FieldType): Schema {
    switch (t.kind) {
      case 'ref':
        this.addType(t.ref);
        return this.refTo(t.ref);
      case 'array':
        return { type: 'array', items: this.typeOf(t.items) };
      case 'map':
        return { type: 'object', additionalProperties: this.typeOf(t.values) };
      case 'scalar':
        return this.scalar(t.scalar);
    }
  }

  private scalar(s: Scalar): Schema {
    const named = namedScalars[s];
    if (named) {
      // v3 says what Kubernetes says: a Quantity is written as a string or a number.
      const schema = s === 'quantity' && this.flavor === 'v3' ? { description: named.schema['description'], oneOf: [{ type: 'string' }, { type: 'number' }] } : named.schema;
      this.addSchema(named.name, schema);
      return this.refTo(named.name);
    }
    switch (s) {
      case 'string':
        return { type: 'string' };
      case 'int32':
      case 'int64':
        return { type: 'integer', format: s };
      case 'double':
        return { type: 'number', format: 'double' };
      case 'boolean':
        return { type: 'boolean' };
      case 'bytes':
        return { type: 'string', format: 'byte' };
      default:
        return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
  }
}

/** The `<Kind>List` schema, built when the schema data does not declare one. */
export function listSchema(set: SchemaSet, itemType: string, group: string, version: string, listKind: string): Schema {
  set.addType(metaName('ListMeta'));
  set.missing.delete(metaName('ListMeta')); // a stand-in here is no gap in the item's schema
  const listMeta = set.refTo(metaName('ListMeta'));
  const kindDoc = itemType.slice(itemType.lastIndexOf('.') + 1);
  return {
    description: `A list of ${kindDoc} objects.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { description: 'Versioned schema of this representation of the object.', type: 'string' },
      items: { description: `The ${kindDoc} objects.`, type: 'array', items: set.refTo(itemType) },
      kind: { description: 'REST resource this object represents.', type: 'string' },
      metadata: set.described(listMeta, 'Standard list metadata.'),
    },
    'x-kubernetes-group-version-kind': [{ group, kind: listKind, version }],
  };
}

/** Meta types every document refers to; stand-ins when the schema data lacks them. */
export const sharedMeta = {
  status: metaName('Status'),
  deleteOptions: metaName('DeleteOptions'),
  watchEvent: metaName('WatchEvent'),
  patch: metaName('Patch'),
};

export function addSharedMeta(set: SchemaSet): void {
  // addSchema replaces addType's generic stand-in with a closer one.
  set.addType(sharedMeta.status) || set.addSchema(sharedMeta.status, { description: 'Result of a call that returns no object.', type: 'object' });
  set.addType(sharedMeta.deleteOptions) ||
    set.addSchema(sharedMeta.deleteOptions, { description: 'Options that may accompany a delete request.', type: 'object' });
  set.addType(sharedMeta.watchEvent) ||
    set.addSchema(sharedMeta.watchEvent, {
      description: 'One event of a watch stream.',
      type: 'object',
      required: ['type', 'object'],
      properties: {
        object: { description: 'The object the event is about, or a Status for ERROR.', type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        type: { description: 'ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.', type: 'string' },
      },
    });
  set.addType(sharedMeta.patch) ||
    set.addSchema(sharedMeta.patch, { description: 'The body of a PATCH request, in the format its content type names.', type: 'object' });
  // Stand-ins are not gaps in the resources' own schemas.
  for (const n of Object.values(sharedMeta)) set.missing.delete(n);
}
