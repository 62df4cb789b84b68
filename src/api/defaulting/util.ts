// Small helpers for defaulting plain JSON objects in place.

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The object at `o[key]`, created empty when absent. */
export function child(o: Obj, key: string): Obj {
  const v = o[key];
  if (isObj(v)) return v;
  const created: Obj = {};
  // A value of the wrong type is left for validation to report; defaults then go nowhere.
  if (v === undefined || v === null) o[key] = created;
  return created;
}

/** The object at `o[key]` if there is one. */
export const maybe = (o: Obj, key: string): Obj | undefined => {
  const v = o[key];
  return isObj(v) ? v : undefined;
};

/** The objects of the array at `o[key]` (non-objects skipped). */
export const items = (o: Obj | undefined, key: string): Obj[] => {
  const v = o?.[key];
  return Array.isArray(v) ? v.filter(isObj) : [];
};

/** The object's labels for writing, or undefined when its metadata is malformed. */
export function ownLabels(o: { metadata?: unknown }): { get: () => Record<string, string>; set: (l: Record<string, string>) => void } | undefined {
  const meta = o.metadata;
  if (!isObj(meta) || (meta['labels'] !== undefined && meta['labels'] !== null && !isObj(meta['labels']))) return undefined;
  return { get: () => (isObj(meta['labels']) ? (meta['labels'] as Record<string, string>) : {}), set: (l) => (meta['labels'] = l) };
}

export function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}
