// One JSON serialization per stored object version, shared by every LIST and
// watcher that sends it: cached objects are immutable, so their text is too.

const serialized = new WeakMap<object, string>();

export function objectJson(obj: object): string {
  let s = serialized.get(obj);
  if (s === undefined) {
    s = JSON.stringify(obj);
    serialized.set(obj, s);
  }
  return s;
}
