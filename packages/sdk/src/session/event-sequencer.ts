/**
 * Exactly-once, in-order application of each conversation's events. A position per conversation
 * is the highest event_seq applied (docs/API.md, "Change feed"): a live event at position + 1 is
 * applied at once, one at or below it is a repeat and dropped, one further ahead waits while the
 * events in between are fetched (`gap`). While a sync runs, every live event waits (`hold`);
 * `release` then applies those past the positions the sync reached.
 */
import type { FeedEvent } from './feed-event.js';

export interface SequencerHooks {
  /** Applies one event; called once per event, in event_seq order per conversation. */
  apply(event: FeedEvent): void;
  /** Live events skipped ahead of `after`: fetch the events in between, then call `endFill`. */
  gap(conversationId: string, after: number): void;
  /** True for a live event that starts a conversation with no position (its creation). */
  adoptable(event: FeedEvent): boolean;
  /** A live event of a conversation with no position (a join missed): sync to learn it. */
  unknown(conversationId: string): void;
}

export class EventSequencer {
  private readonly positionsById = new Map<string, number>();
  private readonly held = new Map<string, Map<number, FeedEvent>>();
  private readonly filling = new Set<string>();
  private holding = false;

  constructor(private readonly hooks: SequencerHooks) {}

  position(conversationId: string): number | undefined {
    return this.positionsById.get(conversationId);
  }

  positions(): Map<string, number> {
    return new Map(this.positionsById);
  }

  /** Sets a conversation's position (a snapshot was applied, or a live event starts it). */
  track(conversationId: string, position: number): void {
    this.positionsById.set(conversationId, position);
  }

  /** No longer a member: no position, nothing held. */
  forget(conversationId: string): void {
    this.positionsById.delete(conversationId);
    this.held.delete(conversationId);
    this.filling.delete(conversationId);
  }

  get isHolding(): boolean {
    return this.holding;
  }

  /** A sync starts: live events wait until `release`. */
  hold(): void {
    this.holding = true;
  }

  /** A live event. */
  offer(event: FeedEvent): void {
    const id = event.conversation_id;
    const position = this.positionsById.get(id);
    if (position !== undefined && event.event_seq <= position) return;
    this.keep(event);
    if (this.holding || this.filling.has(id)) return;
    if (position === undefined && !this.adopt(id)) return this.hooks.unknown(id);
    this.drain(id);
  }

  /**
   * Events read from the log, ascending: those past the position are applied, whether or not a
   * sync holds live events. False when they do not start at position + 1 (the caller refetches).
   */
  accept(conversationId: string, events: readonly FeedEvent[]): boolean {
    for (const event of events) {
      const position = this.positionsById.get(conversationId);
      if (position === undefined) return true;
      if (event.event_seq <= position) continue;
      if (event.event_seq !== position + 1) return false;
      this.step(event);
    }
    return true;
  }

  /** A gap's fetch ended (or failed): apply what is now contiguous; another gap asks again. */
  endFill(conversationId: string): void {
    this.filling.delete(conversationId);
    if (!this.holding) this.drain(conversationId);
  }

  /**
   * The sync ended: held events past each position are applied; those of conversations still
   * unknown are dropped, unless one of them starts the conversation.
   */
  release(): void {
    this.holding = false;
    for (const id of [...this.held.keys()]) {
      if (!this.positionsById.has(id) && !this.adopt(id)) this.held.delete(id);
      else if (!this.filling.has(id)) this.drain(id);
    }
  }

  /** Starts an unknown conversation just before its lowest held event that can start it. */
  private adopt(conversationId: string): boolean {
    const events = [...(this.held.get(conversationId)?.values() ?? [])].sort((a, b) => a.event_seq - b.event_seq);
    const first = events.find((event) => this.hooks.adoptable(event));
    if (!first) return false;
    this.positionsById.set(conversationId, first.event_seq - 1);
    return true;
  }

  private keep(event: FeedEvent): void {
    let events = this.held.get(event.conversation_id);
    if (!events) this.held.set(event.conversation_id, (events = new Map()));
    events.set(event.event_seq, event);
  }

  private drain(conversationId: string): void {
    const events = this.held.get(conversationId);
    if (!events) return;
    for (let position = this.positionsById.get(conversationId); position !== undefined; position = this.positionsById.get(conversationId)) {
      for (const seq of events.keys()) if (seq <= position) events.delete(seq);
      const next = events.get(position + 1);
      if (!next) {
        if (events.size === 0) break;
        this.filling.add(conversationId);
        return this.hooks.gap(conversationId, position);
      }
      events.delete(next.event_seq);
      this.step(next);
    }
    if (events.size === 0 || !this.positionsById.has(conversationId)) this.held.delete(conversationId);
  }

  /** Moves the position first: an event that removes you forgets the conversation while applied. */
  private step(event: FeedEvent): void {
    this.positionsById.set(event.conversation_id, event.event_seq);
    this.hooks.apply(event);
  }
}
