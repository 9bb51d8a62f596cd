/**
 * A Map that forgets its oldest entries beyond `capacity` (insertion order; a read refreshes),
 * and, given `maxAgeMs`, entries older than that (an age-bounded read: a refresh by reading
 * does not make an entry younger).
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, { value: V; storedAt: number }>();

  constructor(
    private readonly capacity: number,
    private readonly maxAgeMs = Number.POSITIVE_INFINITY,
  ) {}

  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    this.map.delete(key);
    if (this.maxAgeMs !== Number.POSITIVE_INFINITY && Date.now() - entry.storedAt > this.maxAgeMs) return undefined;
    this.map.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, { value, storedAt: this.maxAgeMs === Number.POSITIVE_INFINITY ? 0 : Date.now() });
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  deleteWhere(predicate: (value: V, key: K) => boolean): void {
    for (const [key, entry] of this.map) if (predicate(entry.value, key)) this.map.delete(key);
  }
}
