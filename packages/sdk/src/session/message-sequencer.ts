/**
 * Exactly-once, in-order delivery of messages per conversation. Live `message` frames are
 * at-most-once per connection, so the sequencer tracks the highest delivered seq, drops
 * repeats (by seq and by message_id), holds messages that arrive during a catch-up or after a
 * gap, and releases them in seq order once the history in between has been delivered.
 */
import type { Message } from '../types.js';

const REMEMBERED_IDS = 2000;

interface Track {
  /** Highest seq delivered to the app. */
  cursor: number;
  /** True while history is being fetched: live messages wait in `held`. */
  catchingUp: boolean;
  held: Map<number, Message>;
  recentIds: Set<string>;
}

export interface SequencerHooks {
  deliver(message: Message): void;
  /** A live message skipped ahead of the cursor: fetch the history in between. */
  gap(conversationId: string): void;
}

export class MessageSequencer {
  private readonly tracks = new Map<string, Track>();
  /** While set, every conversation's live messages are held (the socket just (re)opened). */
  private holdAll = false;

  constructor(private readonly hooks: SequencerHooks) {}

  /** The highest seq delivered for a conversation, or undefined if it is not tracked. */
  cursor(conversationId: string): number | undefined {
    return this.tracks.get(conversationId)?.cursor;
  }

  cursors(): Map<string, number> {
    return new Map([...this.tracks].map(([id, t]) => [id, t.cursor]));
  }

  /** Starts tracking a conversation from `seq` (messages up to it count as seen); no-op if tracked. */
  track(conversationId: string, seq: number): void {
    if (!this.tracks.has(conversationId)) this.tracks.set(conversationId, { cursor: seq, catchingUp: false, held: new Map(), recentIds: new Set() });
  }

  forget(conversationId: string): void {
    this.tracks.delete(conversationId);
  }

  holdEverything(): void {
    this.holdAll = true;
  }

  /** A live `message` frame. */
  offer(message: Message): void {
    const track = this.trackFor(message);
    if (this.isDuplicate(track, message)) return;
    if (this.holdAll || track.catchingUp) {
      track.held.set(message.seq, message);
      return;
    }
    if (message.seq === track.cursor + 1) {
      this.emit(track, message);
      this.releaseContiguous(message.conversation_id, track);
      return;
    }
    track.held.set(message.seq, message);
    track.catchingUp = true;
    this.hooks.gap(message.conversation_id);
  }

  beginCatchUp(conversationId: string): void {
    const track = this.tracks.get(conversationId);
    if (track) track.catchingUp = true;
  }

  /** One ascending page of history; everything after the cursor is delivered. */
  acceptHistory(messages: Message[]): void {
    for (const message of messages) {
      const track = this.trackFor(message);
      if (this.isDuplicate(track, message)) continue;
      track.held.delete(message.seq);
      this.emit(track, message);
    }
  }

  /** History is complete up to now: held messages go out in seq order. False if a gap remains. */
  endCatchUp(conversationId: string): boolean {
    const track = this.tracks.get(conversationId);
    if (!track) return true;
    track.catchingUp = false;
    if (this.holdAll) return true;
    return this.releaseContiguous(conversationId, track);
  }

  /** The reconnect sync finished: release every conversation. Returns those still missing history. */
  releaseAll(): string[] {
    this.holdAll = false;
    const gaps: string[] = [];
    for (const [id, track] of this.tracks) {
      if (track.catchingUp) continue;
      if (!this.releaseContiguous(id, track)) gaps.push(id);
    }
    return gaps;
  }

  /**
   * Gives up on a gap that history cannot fill (the server returned nothing new): delivers the
   * held messages from the lowest one on, so the conversation does not stall.
   */
  skipGap(conversationId: string): void {
    const track = this.tracks.get(conversationId);
    if (!track || track.held.size === 0) return;
    track.cursor = Math.min(...track.held.keys()) - 1;
    track.catchingUp = false;
    this.releaseContiguous(conversationId, track);
  }

  private releaseContiguous(conversationId: string, track: Track): boolean {
    for (const seq of [...track.held.keys()]) if (seq <= track.cursor) track.held.delete(seq);
    for (let next = track.held.get(track.cursor + 1); next; next = track.held.get(track.cursor + 1)) {
      track.held.delete(next.seq);
      if (!this.isDuplicate(track, next)) this.emit(track, next);
      else track.cursor = next.seq;
    }
    if (track.held.size === 0) return true;
    track.catchingUp = true;
    this.hooks.gap(conversationId);
    return false;
  }

  private trackFor(message: Message): Track {
    let track = this.tracks.get(message.conversation_id);
    if (!track) {
      // A conversation first seen through a live message: start just before it.
      track = { cursor: message.seq - 1, catchingUp: false, held: new Map(), recentIds: new Set() };
      this.tracks.set(message.conversation_id, track);
    }
    return track;
  }

  private isDuplicate(track: Track, message: Message): boolean {
    return message.seq <= track.cursor || track.recentIds.has(message.message_id);
  }

  private emit(track: Track, message: Message): void {
    track.cursor = message.seq;
    track.recentIds.add(message.message_id);
    if (track.recentIds.size > REMEMBERED_IDS) track.recentIds.delete(track.recentIds.values().next().value as string);
    this.hooks.deliver(message);
  }
}
