/**
 * Reads of IAM entities (users, roles, keys, policies, providers) remembered until the next write. Every
 * signed request looks up its key, its principal and the principal's policies: a handful of SQLite queries
 * that were a sixth of an AssumeRole. IAM entities change rarely and only through these repositories, which
 * clear the cache on every write; a transaction that rolls back clears it too (see Store.transaction), so no
 * read of a write that never committed outlives it. Cached rows are frozen: a caller that wants a changed
 * row makes a copy, as every write path already does.
 */
export class ReadCache {
  private readonly entries = new Map<string, unknown>();

  get<T>(key: string, load: () => T): T {
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const value = deepFreeze(load());
    // Bounded: a scan over many distinct names cannot grow it without limit.
    if (this.entries.size >= 10_000) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }

  /** A write: what was read before it may be stale. */
  clear(): void {
    this.entries.clear();
    this.written = true;
  }

  /**
   * A transaction rolled back: reads cached after its writes may show rows that are now undone. Without a
   * write since the last commit there is nothing to forget (a refused replayed assertion must not be able to
   * empty the cache on every request).
   */
  rolledBack(): void {
    if (this.written) this.entries.clear();
    this.written = false;
  }

  /** The outermost transaction committed: its writes are durable, and so are the reads made after them. */
  committed(): void {
    this.written = false;
  }

  private written = false;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
