// Plugin results: a code and the reasons shown to users, like kube-scheduler's framework.Status.

export const Code = {
  Success: 0,
  Error: 1,
  Unschedulable: 2,
  UnschedulableAndUnresolvable: 3,
  Wait: 4,
  Skip: 5,
} as const;
export type Code = (typeof Code)[keyof typeof Code];

export const codeName: Record<Code, string> = {
  0: 'Success',
  1: 'Error',
  2: 'Unschedulable',
  3: 'UnschedulableAndUnresolvable',
  4: 'Wait',
  5: 'Skip',
};

/** `null` stands for Success on the hot path, so passing nodes allocate nothing. */
export type Status = { readonly code: Code; readonly reasons: readonly string[]; plugin?: string; readonly error?: unknown };
export type MaybeStatus = Status | null;

export function newStatus(code: Code, ...reasons: string[]): Status {
  return { code, reasons };
}
export const unschedulable = (...reasons: string[]): Status => newStatus(Code.Unschedulable, ...reasons);
export const unresolvable = (...reasons: string[]): Status => newStatus(Code.UnschedulableAndUnresolvable, ...reasons);
export const skip = (): Status => newStatus(Code.Skip);
export const asError = (err: unknown): Status => ({ code: Code.Error, reasons: [err instanceof Error ? err.message : String(err)], error: err });

/** A status built once and returned for every node it applies to (no allocation per node). */
export function shared(code: Code, plugin: string, ...reasons: string[]): Status {
  return Object.freeze({ code, reasons: Object.freeze(reasons), plugin });
}

/** Shared statuses keyed by their message, for reasons that vary a little (taints, resources). */
export function sharedCache(code: Code, plugin: string): (reasons: string[]) => Status {
  const cache = new Map<string, Status>();
  return (reasons) => {
    const key = reasons.join('\n');
    let s = cache.get(key);
    if (!s) {
      s = shared(code, plugin, ...reasons);
      if (cache.size > 1000) cache.clear();
      cache.set(key, s);
    }
    return s;
  };
}

export function isSuccess(s: MaybeStatus): boolean {
  return s === null || s.code === Code.Success;
}
/** Rejected in a way that (maybe) preemption or a cluster change could fix. */
export function isRejected(s: MaybeStatus): boolean {
  return s !== null && (s.code === Code.Unschedulable || s.code === Code.UnschedulableAndUnresolvable);
}
export function withPlugin(s: Status, plugin: string): Status {
  return s.plugin === plugin ? s : { ...s, plugin };
}
export function statusMessage(s: MaybeStatus): string {
  return s === null ? '' : s.reasons.join(', ');
}
