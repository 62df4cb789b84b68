// The two ways a patch fails, as the Kubernetes API server reports them:
// a document that is not a valid patch is a 400; a valid patch that cannot
// be applied to this object (a failed `test`, a missing path) is a 422.

import { badRequest, statusError, StatusReason, type StatusError } from '../status.ts';

export function malformedPatch(message: string): StatusError {
  return badRequest(message);
}

const rejected = 'the server rejected our request due to an error in our request';

export function patchNotApplicable(message: string): StatusError {
  return statusError(422, StatusReason.Invalid, `${rejected}: ${message}`, {
    causes: [{ reason: 'UnexpectedServerResponse', message }],
  });
}
