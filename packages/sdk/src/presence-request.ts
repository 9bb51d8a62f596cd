/**
 * `GET /presence` for any number of users (docs/API.md, "Presence"): the route takes 100 ids at
 * most, so longer lists are asked in parts, at once, and the answers joined in the order asked.
 */
import { PRESENCE_QUERY_MAX_IDS } from '@pneumatic/protocol/presence-limits';
import type { HttpClient } from './http-client.js';
import type { UserPresence } from './types.js';

export async function presenceOf(http: HttpClient, userIds: readonly string[]): Promise<UserPresence[]> {
  const ids = [...new Set(userIds)];
  const parts: Array<Promise<{ presence: UserPresence[] }>> = [];
  for (let i = 0; i < ids.length; i += PRESENCE_QUERY_MAX_IDS) {
    parts.push(http.request('GET', '/presence', { query: { user_ids: ids.slice(i, i + PRESENCE_QUERY_MAX_IDS).join(',') } }));
  }
  return (await Promise.all(parts)).flatMap((part) => part.presence);
}
