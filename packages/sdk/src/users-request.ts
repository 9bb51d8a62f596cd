/**
 * `GET /users?ids=` for any number of users (docs/API.md, "Finding people"): the route takes 100
 * ids at most, so longer lists are asked in parts, at once, and the answers joined in the order asked.
 */
import type { HttpClient } from './http-client.js';
import type { User } from './types.js';

/**
 * The protocol's USERS_BY_ID_MAX, as a plain number: its module (profiles.ts) holds TypeBox
 * schemas, which the SDK's bundle leaves out. A unit test holds the two equal.
 */
export const USERS_BY_ID_MAX = 100;

/** The users among `userIds` (duplicates asked once); unknown ids are left out, as the server does. */
export async function usersByIds(http: HttpClient, userIds: readonly string[]): Promise<User[]> {
  const ids = [...new Set(userIds)];
  const parts: Array<Promise<{ users: User[] }>> = [];
  for (let i = 0; i < ids.length; i += USERS_BY_ID_MAX) {
    parts.push(http.request('GET', '/users', { query: { ids: ids.slice(i, i + USERS_BY_ID_MAX).join(',') } }));
  }
  return (await Promise.all(parts)).flatMap((part) => part.users);
}
