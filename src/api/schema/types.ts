// The shape of the type schema: one description per API type, from which
// OpenAPI (and so `kubectl explain`), strict field validation, protobuf
// decoding and the patch strategies are all derived.

import type { GroupVersionKind } from '../meta.ts';

export type Scalar =
  | 'string'
  | 'int32'
  | 'int64'
  | 'double'
  | 'boolean'
  /** base64 in JSON, bytes in protobuf */
  | 'bytes'
  /** resource.Quantity: a string in JSON, message {string string = 1} in protobuf */
  | 'quantity'
  /** intstr.IntOrString: number or string in JSON, message {type=1, intVal=2, strVal=3} */
  | 'intOrString'
  /** metav1.Time: RFC 3339 string in JSON, message {seconds=1, nanos=2} */
  | 'time'
  /** metav1.MicroTime: RFC 3339 with microseconds */
  | 'microTime'
  /** runtime.RawExtension: embedded JSON object, message {raw bytes = 1} */
  | 'rawExtension'
  /** free-form JSON (e.g. fieldsV1, apiextensions JSON) */
  | 'object';

export type FieldType =
  | { kind: 'scalar'; scalar: Scalar }
  /** Another TypeDef by its full name, e.g. `io.k8s.api.core.v1.PodSpec`. */
  | { kind: 'ref'; ref: string }
  | { kind: 'array'; items: FieldType }
  /** map[string]X */
  | { kind: 'map'; values: FieldType };

export type FieldDef = {
  /** JSON name. */
  name: string;
  /** Field number in Kubernetes' generated.proto. */
  protoTag: number;
  type: FieldType;
  description: string;
  required?: boolean;
  enum?: readonly string[];
  /** Strategic merge patch metadata (`patchStrategy`, `patchMergeKey` tags). */
  patchStrategy?: 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';
  patchMergeKey?: string;
  /** Server-side apply metadata (`x-kubernetes-list-type` and friends). */
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: readonly string[];
  mapType?: 'atomic' | 'granular';
};

export type TypeDef = {
  /** Full name as in Kubernetes' OpenAPI, e.g. `io.k8s.api.apps.v1.Deployment`. */
  name: string;
  description: string;
  fields: readonly FieldDef[];
  /** Top-level kinds served with this type. */
  gvk?: readonly GroupVersionKind[];
  /** `x-kubernetes-map-type: atomic` / struct atomic */
  atomic?: boolean;
};
