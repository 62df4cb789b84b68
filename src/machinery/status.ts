// Kubernetes Status errors: every error that crosses the API boundary is one of these.

export type StatusCause = { reason?: string; message?: string; field?: string };

export type StatusDetails = {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
};

export type Status = {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
};

export const StatusReason = {
  BadRequest: 'BadRequest',
  Unauthorized: 'Unauthorized',
  Forbidden: 'Forbidden',
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Conflict: 'Conflict',
  Gone: 'Gone',
  Expired: 'Expired',
  Invalid: 'Invalid',
  MethodNotAllowed: 'MethodNotAllowed',
  NotAcceptable: 'NotAcceptable',
  UnsupportedMediaType: 'UnsupportedMediaType',
  RequestEntityTooLarge: 'RequestEntityTooLarge',
  TooManyRequests: 'TooManyRequests',
  InternalError: 'InternalError',
  ServiceUnavailable: 'ServiceUnavailable',
  Timeout: 'Timeout',
} as const;
export type StatusReason = (typeof StatusReason)[keyof typeof StatusReason];

export class StatusError extends Error {
  readonly status: Status;
  constructor(status: Status, options?: { cause?: unknown }) {
    super(status.message, options);
    this.name = 'StatusError';
    this.status = status;
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason;
  }
}

/** What a resource is called in messages: `deployments.apps` or `pods`. */
export type Qualified = { group: string; resource: string };

function qualifiedName(q: Qualified): string {
  return q.group ? `${q.resource}.${q.group}` : q.resource;
}

export function statusError(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
  cause?: unknown,
): StatusError {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
  if (details) status.details = details;
  return new StatusError(status, cause === undefined ? undefined : { cause });
}

export function notFound(q: Qualified, name: string): StatusError {
  return statusError(404, StatusReason.NotFound, `${qualifiedName(q)} "${name}" not found`, {
    name,
    group: q.group,
    kind: q.resource,
  });
}

export function alreadyExists(q: Qualified, name: string): StatusError {
  return statusError(409, StatusReason.AlreadyExists, `${qualifiedName(q)} "${name}" already exists`, {
    name,
    group: q.group,
    kind: q.resource,
  });
}

export function conflict(q: Qualified, name: string, why: string): StatusError {
  return statusError(
    409,
    StatusReason.Conflict,
    `Operation cannot be fulfilled on ${qualifiedName(q)} "${name}": ${why}`,
    { name, group: q.group, kind: q.resource },
  );
}

export const modifiedMessage =
  'the object has been modified; please apply your changes to the latest version and try again';

/** 422 with one cause per bad field, worded like Kubernetes. `kind` is e.g. `Deployment.apps`. */
export function invalid(groupKind: { group: string; kind: string }, name: string, causes: FieldError[]): StatusError {
  const qualifiedKind = groupKind.group ? `${groupKind.kind}.${groupKind.group}` : groupKind.kind;
  const list = causes.map(formatFieldError);
  const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return statusError(422, StatusReason.Invalid, `${qualifiedKind} "${name}" is invalid: ${summary}`, {
    name,
    group: groupKind.group,
    kind: groupKind.kind,
    causes: causes.map((c) => ({ reason: c.type, message: formatFieldError(c), field: c.field })),
  });
}

export function badRequest(message: string): StatusError {
  return statusError(400, StatusReason.BadRequest, message);
}

export function gone(message: string): StatusError {
  return statusError(410, StatusReason.Gone, message);
}

export function expired(message: string): StatusError {
  return statusError(410, StatusReason.Expired, message);
}

export function forbidden(q: Qualified, name: string, why: string): StatusError {
  const what = name ? `${qualifiedName(q)} "${name}"` : qualifiedName(q);
  return statusError(403, StatusReason.Forbidden, `${what} is forbidden: ${why}`, {
    name,
    group: q.group,
    kind: q.resource,
  });
}

export function methodNotAllowed(message: string): StatusError {
  return statusError(405, StatusReason.MethodNotAllowed, message);
}

export function unsupportedMediaType(contentType: string): StatusError {
  return statusError(415, StatusReason.UnsupportedMediaType, `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got "${contentType}")`);
}

export function notAcceptable(message: string): StatusError {
  return statusError(406, StatusReason.NotAcceptable, message);
}

export function tooLarge(message: string): StatusError {
  return statusError(413, StatusReason.RequestEntityTooLarge, message);
}

export function tooManyRequests(message: string, retryAfterSeconds = 1): StatusError {
  return statusError(429, StatusReason.TooManyRequests, message, { retryAfterSeconds });
}

export function internalError(message: string, cause?: unknown): StatusError {
  return statusError(500, StatusReason.InternalError, `Internal error occurred: ${message}`, undefined, cause);
}

export function serviceUnavailable(message: string, cause?: unknown): StatusError {
  return statusError(503, StatusReason.ServiceUnavailable, message, undefined, cause);
}

export function timeout(message: string): StatusError {
  return statusError(504, StatusReason.Timeout, message);
}

export const isStatusError = (e: unknown): e is StatusError => e instanceof StatusError;
export const isNotFound = (e: unknown): boolean => isStatusError(e) && e.reason === StatusReason.NotFound;
export const isAlreadyExists = (e: unknown): boolean => isStatusError(e) && e.reason === StatusReason.AlreadyExists;
export const isConflict = (e: unknown): boolean => isStatusError(e) && e.reason === StatusReason.Conflict;
export const isInvalid = (e: unknown): boolean => isStatusError(e) && e.reason === StatusReason.Invalid;
export const isGone = (e: unknown): boolean =>
  isStatusError(e) && (e.reason === StatusReason.Gone || e.reason === StatusReason.Expired);

// Field errors, as Kubernetes' field.Error: a path, a type and the bad value.

export const FieldErrorType = {
  Required: 'FieldValueRequired',
  NotFound: 'FieldValueNotFound',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Duplicate: 'FieldValueDuplicate',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
} as const;
export type FieldErrorType = (typeof FieldErrorType)[keyof typeof FieldErrorType];

export type FieldError = { type: FieldErrorType; field: string; value?: unknown; detail?: string };

export const fieldRequired = (field: string, detail = ''): FieldError => ({ type: FieldErrorType.Required, field, detail });
export const fieldInvalid = (field: string, value: unknown, detail: string): FieldError => ({
  type: FieldErrorType.Invalid,
  field,
  value,
  detail,
});
export const fieldNotSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  type: FieldErrorType.NotSupported,
  field,
  value,
  detail: `supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
});
export const fieldNotFound = (field: string, value: unknown): FieldError => ({ type: FieldErrorType.NotFound, field, value });
export const fieldDuplicate = (field: string, value: unknown): FieldError => ({ type: FieldErrorType.Duplicate, field, value });
export const fieldForbidden = (field: string, detail: string): FieldError => ({ type: FieldErrorType.Forbidden, field, detail });
export const fieldTooLong = (field: string, value: unknown, max: number): FieldError => ({
  type: FieldErrorType.TooLong,
  field,
  value,
  detail: `may not be more than ${max} bytes`,
});

function renderValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function formatFieldError(e: FieldError): string {
  const detail = e.detail ? `: ${e.detail}` : '';
  switch (e.type) {
    case FieldErrorType.Required:
      return `${e.field}: Required value${detail}`;
    case FieldErrorType.NotFound:
      return `${e.field}: Not found: ${renderValue(e.value)}`;
    case FieldErrorType.Invalid:
      return `${e.field}: Invalid value: ${renderValue(e.value)}${detail}`;
    case FieldErrorType.NotSupported:
      return `${e.field}: Unsupported value: ${renderValue(e.value)}${detail}`;
    case FieldErrorType.Duplicate:
      return `${e.field}: Duplicate value: ${renderValue(e.value)}`;
    case FieldErrorType.Forbidden:
      return `${e.field}: Forbidden${detail}`;
    case FieldErrorType.TooLong:
      return `${e.field}: Too long${detail}`;
    case FieldErrorType.TooMany:
      return `${e.field}: Too many${detail}`;
  }
}
