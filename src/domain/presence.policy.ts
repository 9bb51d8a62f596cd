/**
 * Who may see whose presence (docs/API.md, "Presence"): users who share at least one
 * conversation, and everyone themselves. Nothing tells a user who is not shown apart from one
 * who does not exist: both are left out.
 */

/**
 * The ids of `requested` that `callerId` may see, in the order asked, without repeats:
 * the caller, and those in `sharing` (the ones that share a conversation with the caller).
 */
export function visiblePresence(callerId: string, requested: readonly string[], sharing: ReadonlySet<string>): string[] {
  const visible: string[] = [];
  const seen = new Set<string>();
  for (const id of requested) {
    if (seen.has(id)) continue;
    seen.add(id);
    if (id === callerId || sharing.has(id)) visible.push(id);
  }
  return visible;
}

/**
 * Who hears a user's presence frames: the users who share a conversation with them. Not the
 * user's own devices: a client knows whether it is connected, and one that never asked for
 * presence (v1) hears no frame about its own connecting.
 */
export function presenceAudience(userId: string, conversationMembers: Iterable<readonly string[]>): string[] {
  const audience = new Set<string>();
  for (const members of conversationMembers) for (const id of members) audience.add(id);
  audience.delete(userId);
  return [...audience];
}
