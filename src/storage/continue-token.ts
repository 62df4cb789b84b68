// Continue tokens for paged lists: the revision the first page was read at and
// the last key returned, so the next page resumes after it at the same snapshot.

import { StorageError, StorageErrorCode } from './interface.ts';

export type ContinuePosition = { revision: number; lastKey: string };

export function encodeContinue(pos: ContinuePosition): string {
  return Buffer.from(JSON.stringify({ v: 1, rv: pos.revision, start: pos.lastKey })).toString('base64url');
}

export function decodeContinue(token: string, prefix: string): ContinuePosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (cause) {
    throw invalid(token, { cause });
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid(token);
  const { v, rv, start } = parsed as Record<string, unknown>;
  if (v !== 1 || typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv <= 0 || typeof start !== 'string') {
    throw invalid(token);
  }
  // A token from another listing must not let a client read outside its prefix.
  if (!start.startsWith(prefix)) throw invalid(token);
  return { revision: rv, lastKey: start };
}

const invalid = (token: string, options?: { cause?: unknown }) =>
  new StorageError(StorageErrorCode.InvalidContinue, '', `invalid continue token ${JSON.stringify(token)}`, 0, options);
