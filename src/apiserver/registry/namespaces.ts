// Namespaces: Active on create; a delete marks them Terminating until the
// namespace controller has emptied them and removed the `kubernetes` finalizer.

import type { Strategy } from './strategy.ts';

type NamespaceSpec = { finalizers?: string[] };

export const namespaceStrategy: Strategy = {
  generation: false,
  prepareForCreate(ns) {
    const spec = (ns.spec ??= {}) as NamespaceSpec;
    if (!spec.finalizers?.includes('kubernetes')) spec.finalizers = [...(spec.finalizers ?? []), 'kubernetes'];
    ns.status = { phase: 'Active' };
  },
  prepareForUpdate(ns, old) {
    // spec.finalizers change only through the finalize subresource.
    ns.spec = structuredClone(old.spec);
  },
  deleteMarksOnly(ns) {
    return ((ns.spec as NamespaceSpec | undefined)?.finalizers ?? []).length > 0;
  },
  prepareForDelete(ns) {
    ns.status = { ...(ns.status as object), phase: 'Terminating' };
  },
};
