/**
 * The smallest observable value: components read `get()` and subscribe, and are told only when
 * the value changes by `equals` (default: the same reference). Every store of the app is made of
 * these, so a component re-renders for exactly the slice it shows.
 */
export type Listener = () => void;

export interface Readable<T> {
  get(): T;
  subscribe(listener: Listener): () => void;
}

export type Equals<T> = (a: T, b: T) => boolean;

export class Atom<T> implements Readable<T> {
  private readonly listeners = new Set<Listener>();

  constructor(
    private value: T,
    private readonly equals: Equals<T> = Object.is,
  ) {}

  get(): T {
    return this.value;
  }

  set(next: T): void {
    if (this.equals(this.value, next)) return;
    this.value = next;
    for (const listener of [...this.listeners]) listener();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Equal when both arrays hold the same items (by reference) in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => Object.is(item, b[i]));
}

/** Equal when both maps hold the same keys with the same values. */
export function sameEntries<K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) if (!b.has(key) || !Object.is(b.get(key), value)) return false;
  return true;
}
