/**
 * @peculiar/x509 builds on tsyringe, which refuses to load unless a Reflect metadata polyfill
 * (reflect-metadata) is installed, and the project does not depend on one. This is the subset
 * tsyringe calls: getMetadata, getOwnMetadata, defineMetadata and the `metadata` decorator that
 * compiled `__metadata(...)` helpers use. It only fills in what is missing, so a real polyfill
 * loaded elsewhere wins. Import it before @peculiar/x509.
 */
type Key = string | symbol | undefined;
const store = new WeakMap<object, Map<Key, Map<unknown, unknown>>>();

function own(target: object, property: Key, create: boolean): Map<unknown, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let entries = byProperty.get(property);
  if (!entries && create) {
    entries = new Map();
    byProperty.set(property, entries);
  }
  return entries;
}

const polyfill = {
  defineMetadata(key: unknown, value: unknown, target: object, property?: Key): void {
    own(target, property, true)!.set(key, value);
  },
  getOwnMetadata(key: unknown, target: object, property?: Key): unknown {
    return own(target, property, false)?.get(key);
  },
  getMetadata(key: unknown, target: object, property?: Key): unknown {
    for (let at: object | null = target; at; at = Object.getPrototypeOf(at)) {
      const entries = own(at, property, false);
      if (entries?.has(key)) return entries.get(key);
    }
    return undefined;
  },
  hasMetadata(key: unknown, target: object, property?: Key): boolean {
    return polyfill.getMetadata(key, target, property) !== undefined;
  },
  metadata(key: unknown, value: unknown) {
    return (target: object, property?: Key) => polyfill.defineMetadata(key, value, target, property);
  },
};

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== "function") {
  for (const [name, fn] of Object.entries(polyfill)) {
    if (typeof reflect[name] !== "function") reflect[name] = fn;
  }
}
