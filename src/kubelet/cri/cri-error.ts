// gRPC failures from the runtime as Errors that keep the runtime's own message.

import { status, type ServiceError } from '@grpc/grpc-js';

export class CriError extends Error {
  /** The gRPC status code (5 = NOT_FOUND, 4 = DEADLINE_EXCEEDED, 14 = UNAVAILABLE…). */
  readonly code: number;
  readonly method: string;

  constructor(method: string, err: ServiceError) {
    super(`CRI ${method}: ${err.details || err.message}`, { cause: err });
    this.name = 'CriError';
    this.code = err.code;
    this.method = method;
  }
}

/** True when the runtime answered NotFound (no such sandbox, container or image). */
export function isCriNotFound(e: unknown): boolean {
  return e instanceof CriError && e.code === status.NOT_FOUND;
}
