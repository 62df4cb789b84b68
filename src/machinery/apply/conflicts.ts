// The 409 an apply gets when it would change fields another manager owns,
// worded as Kubernetes words it (kubectl prints the message as it is).

import { statusError, StatusReason, type StatusError } from '../status.ts';
import { memberPaths, pathString, type FieldSet } from './field-set.ts';
import type { Manager } from './managers.ts';

export type Conflicts = Map<string, { manager: Manager; set: FieldSet }>;

function describeManager(m: Manager): string {
  let out = JSON.stringify(m.manager);
  if (m.subresource) out += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') out += ` using ${m.apiVersion}`;
  return out;
}

export function conflictError(conflicts: Conflicts): StatusError {
  const ids = [...conflicts.keys()].sort();
  const causes: { reason: string; message: string; field: string }[] = [];
  const lines: string[] = [];
  for (const id of ids) {
    const c = conflicts.get(id);
    if (!c) continue;
    const who = describeManager(c.manager);
    lines.push(`conflicts with ${who}:`);
    for (const path of memberPaths(c.set)) {
      const field = pathString(path);
      causes.push({ reason: 'FieldManagerConflict', message: `conflict with ${who}`, field });
      lines.push(`- ${field}`);
    }
  }
  const first = causes[0];
  const message =
    causes.length === 1 && first
      ? `Apply failed with 1 conflict: ${first.message}: ${first.field}`
      : `Apply failed with ${causes.length} conflicts: ${lines.join('\n')}`;
  return statusError(409, StatusReason.Conflict, message, { causes });
}
