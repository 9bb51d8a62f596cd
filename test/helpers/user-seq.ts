/** The caller's current user-scoped position (docs/API.md, "Change feed"), as `POST /sync` reports it. */
import type { TestUser } from './api-client.js';

export async function currentUserSeq(user: TestUser): Promise<number> {
  const response = await user.api.post('/sync', { conversations: {}, messages_limit: 0 });
  if (response.status !== 200) throw new Error(`sync failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.user_seq as number;
}
