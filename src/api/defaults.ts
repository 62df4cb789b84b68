// Defaulting per kind, as Kubernetes' SetDefaults_*: fills what the user left out.
// Keyed by groupKindKey (`Deployment.apps`, `Pod`).

import type { KubeObject } from './meta.ts';

export type Defaulter = (obj: KubeObject) => void;

const defaulters = new Map<string, Defaulter>();

export function registerDefaulter(groupKind: string, fn: Defaulter): void {
  defaulters.set(groupKind, fn);
}

/** Applies the defaults of this kind in place. */
export function applyDefaults(groupKind: string, obj: KubeObject): void {
  defaulters.get(groupKind)?.(obj);
}
