/**
 * One atom per key (a conversation id), computed on first use and recomputed when told that key
 * changed. Recomputes are batched to the end of the current task: a catch-up that applies a
 * hundred messages recomputes a conversation's slice once.
 */
import { Atom, type Equals, type Readable } from './atom.js';

export class KeyedAtoms<T> {
  private readonly atoms = new Map<string, Atom<T>>();
  private readonly dirty = new Set<string>();
  private scheduled = false;

  constructor(
    private readonly compute: (key: string) => T,
    private readonly equals?: Equals<T>,
  ) {}

  of(key: string): Readable<T> {
    let atom = this.atoms.get(key);
    if (!atom) this.atoms.set(key, (atom = new Atom(this.compute(key), this.equals)));
    return atom;
  }

  /** The key's value may have changed: recompute it soon (only if someone asked for it). */
  invalidate(key: string): void {
    if (!this.atoms.has(key)) return;
    this.dirty.add(key);
    this.schedule();
  }

  /** Every key that `matches` may have changed (e.g. all the messages of one conversation). */
  invalidateWhere(matches: (key: string) => boolean): void {
    for (const key of this.atoms.keys()) if (matches(key)) this.dirty.add(key);
    if (this.dirty.size > 0) this.schedule();
  }

  invalidateAll(): void {
    for (const key of this.atoms.keys()) this.dirty.add(key);
    this.schedule();
  }

  /** Recomputes what is pending now (tests, and reads that must see an update at once). */
  flush(): void {
    this.scheduled = false;
    const keys = [...this.dirty];
    this.dirty.clear();
    for (const key of keys) this.atoms.get(key)?.set(this.compute(key));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }
}
