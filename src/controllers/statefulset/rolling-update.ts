// RollingUpdate: replace pods not at the update revision, highest ordinal first,
// down to the partition, never more than maxUnavailable pods unavailable at once.

import { scaledValueFromIntOrPercent } from '../../machinery/intstr.ts';
import { revisionOf } from './identity.ts';
import { isDeleting } from './pod-state.ts';
import { deletePod, healthy, type SetState } from './sync.ts';

export async function rollingUpdate(st: SetState, start: number, count: number): Promise<void> {
  const s = st.set.spec?.updateStrategy;
  if (s?.type === 'OnDelete') return;
  const partition = s?.rollingUpdate?.partition ?? 0;
  const maxUnavailable = Math.max(1, scaledValueFromIntOrPercent(s?.rollingUpdate?.maxUnavailable ?? 1, count, true));
  const updateHash = st.update.metadata.labels?.['controller-revision-hash'];
  let unavailable = 0;
  for (let ord = start; ord < start + count; ord++) {
    const p = st.replicas.get(ord);
    if (!p || !healthy(p)) unavailable++;
  }
  for (let ord = start + count - 1; ord - start >= partition; ord--) {
    const p = st.replicas.get(ord);
    if (!p || isDeleting(p) || revisionOf(p) === updateHash) continue;
    if (unavailable >= maxUnavailable) return;
    await deletePod(st, p);
    if (healthy(p)) unavailable++;
  }
}
