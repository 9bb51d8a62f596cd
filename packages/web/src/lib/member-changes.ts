/**
 * Changes to who is in a conversation and in which role (docs/API.md, "Conversation roles"):
 * add, leave, remove someone, set a role; and, for owners, its retention period ("Retention").
 * Each answer is applied to the session's state at once,
 * so the members panel shows it without waiting for the event that tells the other members (and
 * your other devices) the same.
 */
import type { ChatState, MemberRole, PneumaticClient } from '@pneumatic/client';

export class MemberChanges {
  constructor(
    private readonly client: PneumaticClient,
    private readonly selfId: string,
    private readonly state: () => ChatState | null,
  ) {}

  /** Any member may add someone, except someone who blocks them (403 blocked). */
  async add(conversationId: string, userId: string): Promise<void> {
    await this.client.addMember(conversationId, userId);
    const conversation = await this.client.getConversation(conversationId);
    this.state()?.applyConversation(conversation);
  }

  /** Anyone may leave; when the last owner leaves, the server makes another member owner (an admin first). */
  leave(conversationId: string): Promise<void> {
    return this.remove(conversationId, this.selfId);
  }

  /** Removes a member: an owner anyone, an admin plain members (403 not_owner otherwise). */
  async remove(conversationId: string, userId: string): Promise<void> {
    await this.client.removeMember(conversationId, userId);
    this.state()?.applyMemberRemoved(conversationId, userId);
  }

  /** Owners only (403 not_owner); the only owner cannot step down (409 last_owner). */
  async setRole(conversationId: string, userId: string, role: MemberRole): Promise<void> {
    const member = await this.client.setMemberRole(conversationId, userId, role);
    this.state()?.applyMember(conversationId, userId, member);
  }

  /** Owners only (403): the conversation's own period in days, or null to follow the server's. */
  async setRetention(conversationId: string, days: number | null): Promise<void> {
    const conversation = await this.client.setConversationRetention(conversationId, days);
    this.state()?.applyConversation(conversation);
  }
}
