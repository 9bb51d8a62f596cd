/**
 * Upgrades admitted but not yet registered as connections. Between the cap check and the
 * socket's registration an upgrade awaits (authentication, the bus subscription, the
 * conversations' positions); without counting those in-flight upgrades, a burst of upgrades
 * for one user or from one address would all pass the check before any of them registered, and
 * the caps (WS_MAX_CONNECTIONS_PER_USER, WS_MAX_CONNECTIONS_PER_IP) would not hold.
 */
export class PendingAdmissions {
  private readonly counts = new Map<string, number>();

  /** In-flight upgrades held under `key`. */
  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Holds one place under `key` until the returned release is called (once; later calls do nothing). */
  hold(key: string): () => void {
    this.counts.set(key, this.count(key) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.count(key) - 1;
      if (left > 0) this.counts.set(key, left);
      else this.counts.delete(key);
    };
  }
}
