/** Who is typing where. A `typing` frame is a heartbeat: the user counts as typing until it expires. */

export class TypingTracker {
  /** conversation → user → expiry (epoch ms). */
  private readonly byConversation = new Map<string, Map<string, number>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly expiryMs = 6000,
    /** Called when a user's typing indicator expires or is cleared by their message. */
    private readonly onStop: (conversationId: string, userId: string) => void = () => {},
  ) {}

  typing(conversationId: string, userId: string, now = Date.now()): void {
    let users = this.byConversation.get(conversationId);
    if (!users) this.byConversation.set(conversationId, (users = new Map()));
    users.set(userId, now + this.expiryMs);
    const key = `${conversationId} ${userId}`;
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => this.stop(conversationId, userId), this.expiryMs));
  }

  /** The user sent a message: they have stopped typing it. */
  stop(conversationId: string, userId: string): void {
    const key = `${conversationId} ${userId}`;
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    if (this.byConversation.get(conversationId)?.delete(userId)) this.onStop(conversationId, userId);
  }

  /** Users typing now in a conversation. */
  users(conversationId: string, now = Date.now()): string[] {
    const users = this.byConversation.get(conversationId);
    return users ? [...users].filter(([, expires]) => expires > now).map(([id]) => id) : [];
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.byConversation.clear();
  }
}
