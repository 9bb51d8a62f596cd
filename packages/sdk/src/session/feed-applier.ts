/**
 * What a session does with the change feed's answers: applies live events, snapshots, removals
 * and read positions to local state and announces them, and fills a gap in a conversation's
 * events from its log. The session decides when to sync; this decides what the answers mean.
 */
import { PneumaticError } from '../errors.js';
import { applyEvent, type Emission } from '../state/apply-event.js';
import type { ChatState } from '../state/chat-state.js';
import type { RestApi } from '../rest-api.js';
import type { ConversationSnapshot, ReadPosition } from '../types.js';
import type { EventSequencer } from './event-sequencer.js';
import type { FeedEvent } from './feed-event.js';
import { fetchEvents } from './feed-sync.js';

/** After a failed gap fill, try again this much later, ms. */
const GAP_RETRY_MS = 1000;

export interface FeedApplierDeps {
  api: RestApi;
  state: ChatState;
  selfId: string;
  /** From the session's `cursors` option: messages up to here were seen by an earlier run. */
  seenUpTo: ReadonlyMap<string, number>;
  emit: (emission: Emission) => void;
  /** Asks for a sync (a gap could not be filled from the log). */
  requestSync: () => void;
  isClosed: () => boolean;
}

export class FeedApplier {
  private sequencer!: EventSequencer;

  constructor(private readonly deps: FeedApplierDeps) {}

  /** The sequencer calls back into this object, so the two are tied after both exist. */
  attach(sequencer: EventSequencer): void {
    this.sequencer = sequencer;
  }

  applyFeedEvent(event: FeedEvent): void {
    const { state, selfId, seenUpTo } = this.deps;
    const emissions = applyEvent(state, event, { selfId, seenUpTo: seenUpTo.get(event.conversation_id) ?? 0 });
    // You are no longer a member (as the event reads now, not just when it happened).
    if ('member' in event && event.member === null && event.user_id === selfId) this.sequencer.forget(event.conversation_id);
    for (const emission of emissions) this.deps.emit(emission);
  }

  /** Replaces a conversation's state; false when its unread count is not exact yet. */
  applySnapshot(id: string, reason: 'joined' | 'expired', snapshot: ConversationSnapshot, announceJoin: boolean): boolean {
    const { state, emit } = this.deps;
    const position = this.sequencer.position(id);
    if (position !== undefined && snapshot.conversation.last_event_seq < position) return true;
    const knownUpTo = Math.max(state.lastMessage(id)?.seq ?? 0, this.deps.seenUpTo.get(id) ?? 0);
    this.sequencer.track(id, snapshot.conversation.last_event_seq);
    const exact = state.applySnapshot(snapshot);
    if (reason === 'expired') {
      emit({ name: 'conversation.reset', payload: { conversation_id: id } });
      // Messages newer than any known before are still news; those in between are not announced.
      for (const message of snapshot.messages) if (message.seq > knownUpTo) emit({ name: 'message', payload: message });
    } else if (announceJoin) {
      emit({ name: 'member.added', payload: { conversation: snapshot.conversation, user_id: this.deps.selfId } });
    }
    return exact;
  }

  /** No longer a member (or no such conversation): it goes from the state. */
  drop(id: string): void {
    const known = this.sequencer.position(id) !== undefined || this.deps.state.conversation(id) !== undefined;
    this.sequencer.forget(id);
    if (!known) return;
    this.deps.state.applyMemberRemoved(id, this.deps.selfId);
    this.deps.emit({ name: 'member.removed', payload: { conversation_id: id, user_id: this.deps.selfId } });
  }

  /** Every member's read position from a sync (those that moved are announced by the state). */
  applyReads(id: string, reads: ReadPosition[]): void {
    const { state } = this.deps;
    for (const { user_id, last_read_seq } of reads) {
      if (last_read_seq > (state.readPosition(id, user_id) ?? -1)) state.applyRead(id, user_id, last_read_seq);
    }
  }

  /** Live events skipped ahead: fetch the ones in between from the conversation's log. */
  async fillGap(conversationId: string): Promise<void> {
    try {
      const outcome = await fetchEvents({ api: this.deps.api, sequencer: this.sequencer, gone: (id) => this.drop(id) }, conversationId);
      // Expired: a sync answers the conversation's snapshot (requested first, so events stay held).
      if (outcome === 'expired') this.deps.requestSync();
      this.sequencer.endFill(conversationId);
    } catch (error) {
      if (this.deps.isClosed()) return;
      this.deps.emit({ name: 'error', payload: error instanceof PneumaticError ? error : new PneumaticError('network', String(error)) });
      setTimeout(() => {
        if (!this.deps.isClosed()) this.sequencer.endFill(conversationId);
      }, GAP_RETRY_MS);
    }
  }
}
