/**
 * Pinned messages (docs/API.md, "Pins"): each conversation's pins as the SDK's state keeps them
 * (from snapshots and message.pinned / message.unpinned events, so every device agrees), one atom
 * per conversation, and the pin / unpin / list calls. A pin shows on every member's screen when
 * the server's event arrives, the pinner's included.
 */
import type { ChatState, Message, Pin, PinRef, PneumaticClient } from '@pneumatic/client';
import { sameItems, type Readable } from './atom.js';
import { KeyedAtoms } from './keyed-atoms.js';

const NO_PINS: readonly PinRef[] = [];

export class PinsStore {
  private readonly byConversation = new KeyedAtoms<readonly PinRef[]>((id) => this.state()?.pins(id) ?? NO_PINS, sameItems);

  constructor(
    private readonly state: () => ChatState | null,
    private readonly client: PneumaticClient,
  ) {}

  /** The conversation's pins, newest first (ids, who pinned, when). */
  of(conversationId: string): Readable<readonly PinRef[]> {
    return this.byConversation.of(conversationId);
  }

  /** The SDK's pins of the conversation changed. */
  changed(conversationId: string): void {
    this.byConversation.invalidate(conversationId);
  }

  /** A new session: every conversation's pins may differ. */
  refreshAll(): void {
    this.byConversation.invalidateAll();
  }

  /** Pins (`on`) or unpins a message; rejects with the server's error (409 too_many_pins, message_deleted). */
  async setPinned(message: Message, on: boolean): Promise<void> {
    if (on) await this.client.pin(message.conversation_id, message.message_id);
    else await this.client.unpin(message.conversation_id, message.message_id);
  }

  /** The pinned messages as they are now, newest pin first. */
  list(conversationId: string): Promise<Pin[]> {
    return this.client.listPins(conversationId);
  }
}
