/**
 * Usernames typed whole into a people field (people-picker.tsx) rather than picked from the
 * directory: the way to reach someone the directory does not list (with
 * `DIRECTORY_VISIBILITY=shared` it finds only people you share a conversation with), since
 * `GET /users?username=` answers an exact username either way (docs/API.md, "Finding people").
 */
import type { User } from '@pneumatic/client';

/** The usernames in `text`: separated by commas or spaces, a leading @ dropped, each once (ignoring case), in order. */
export function typedUsernames(text: string): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const part of text.split(/[\s,]+/)) {
    const name = part.replace(/^@/, '');
    if (!name || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    names.push(name);
  }
  return names;
}

export interface LookedUp {
  /** The users found, in the order typed. */
  users: User[];
  /** The names nobody has. */
  unknown: string[];
}

/** Looks each name up (exact, ignoring case) at once. */
export async function lookUpUsernames(names: readonly string[], find: (username: string) => Promise<User | null>): Promise<LookedUp> {
  const found = await Promise.all(names.map(async (name) => ({ name, user: await find(name) })));
  return { users: found.flatMap((f) => (f.user ? [f.user] : [])), unknown: found.filter((f) => !f.user).map((f) => f.name) };
}

/** "No user named “zed”, “zoe”." */
export function unknownUsernamesText(unknown: readonly string[]): string {
  return `No user named ${unknown.map((n) => `“${n}”`).join(', ')}.`;
}
