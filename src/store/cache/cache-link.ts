/**
 * How the in-memory caches of several processes stay correct. A cache announces the keys it
 * changed (after the commit); the event bus carries them to the other processes, whose caches
 * forget them. When announcements may have been lost (the bus was interrupted) every cache
 * forgets everything; while the bus is down no cache serves or stores anything; and entries
 * expire after `maxAgeMs`, which bounds staleness should an announcement be lost some way the
 * bus cannot see. The store knows nothing of the bus: the app connects the two.
 *
 * What a stale entry could still do in the moment before an announcement lands (a process
 * authorizing one more send by a member just removed elsewhere) is the same race a single
 * process has between reading a membership and committing the send; the removed member's
 * stream ends at their removal's event_seq (docs/architecture.md, "The change feed"), so no
 * socket of theirs hears what follows.
 */
export interface LinkedCache {
  /** Forgets the entries behind these keys (keys this cache announced, in any process). */
  forget(keys: readonly string[]): void;
  forgetAll(): void;
}

export class CacheLink {
  private readonly caches: LinkedCache[] = [];
  private announcer: (keys: readonly string[], routeKey: string) => void = () => {};
  private isUp: () => boolean = () => false;

  constructor(readonly maxAgeMs: number) {}

  register(cache: LinkedCache): void {
    this.caches.push(cache);
  }

  /** Connects the link to the bus: how to announce, and whether announcements travel now. */
  connect(announce: (keys: readonly string[], routeKey: string) => void, isUp: () => boolean): void {
    this.announcer = announce;
    this.isUp = isUp;
  }

  /**
   * `routeKey` is what the change is about (a conversation id, a user id): the announcement
   * travels in order with the deliveries about it, so a process has forgotten its stale copy
   * before it hands on the frames of the change.
   */
  announce(keys: readonly string[], routeKey: string): void {
    this.announcer(keys, routeKey);
  }

  /** Whether caches may serve and store entries now. */
  usable(): boolean {
    return this.isUp();
  }

  forget(keys: readonly string[]): void {
    for (const cache of this.caches) cache.forget(keys);
  }

  forgetAll(): void {
    for (const cache of this.caches) cache.forgetAll();
  }
}
