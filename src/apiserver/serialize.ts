// One JSON serialization per stored object version, shared by every LIST and
// watcher that sends it: cached objects are immutable, so their bytes are too.

const serialized = new WeakMap<object, Buffer>();

export function objectBytes(obj: object): Buffer {
  let b = serialized.get(obj);
  if (b === undefined) {
    b = Buffer.from(JSON.stringify(obj));
    serialized.set(obj, b);
  }
  return b;
}
