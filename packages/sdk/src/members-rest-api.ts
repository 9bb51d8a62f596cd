/**
 * Conversation roles and blocking (docs/API.md, "Conversation roles", "Blocking"). A base of
 * RestApi, kept apart so each file has one area of the API.
 */
import { SsoRestApi } from './sso-rest-api.js';
import type { Block, Conversation, Member, MemberRole } from './types.js';

const enc = encodeURIComponent;

export class MembersRestApi extends SsoRestApi {
  /**
   * `PATCH /conversations/{id}/members/{user_id}`: an owner sets a member's role (`owner`,
   * `admin` or `member`); the same role changes nothing. Refusals: `not_owner` (403: only owners
   * change roles), `last_owner` (409: the conversation's only owner cannot step down), 404.
   */
  setMemberRole(conversationId: string, userId: string, role: MemberRole): Promise<Member> {
    return this.http.request('PATCH', `/conversations/${enc(conversationId)}/members/${enc(userId)}`, { body: { role } });
  }

  /**
   * `PUT /conversations/{id}/retention`: an owner sets the conversation's own retention period, 1 to
   * 36,500 days, or null to follow the server's (the shorter of the two applies). Answers the
   * Conversation (`retention_days` present only when it has its own). Refusals: `not_owner` (403), 400, 404.
   */
  setConversationRetention(conversationId: string, days: number | null): Promise<Conversation> {
    return this.http.request('PUT', `/conversations/${enc(conversationId)}/retention`, { body: { retention_days: days } });
  }

  /** `GET /users/me/blocks`: everyone you block, most recent first. */
  async listBlocks(): Promise<Block[]> {
    const answer: { blocks: Block[] } = await this.http.request('GET', '/users/me/blocks');
    return answer.blocks;
  }

  /**
   * `PUT /users/me/blocks/{user_id}`: they can no longer start a conversation with you, add you
   * to one, mention you or cause you pushes. Blocking twice changes nothing. Refusals:
   * `invalid_request` (400: yourself), `user_not_found` (404), `too_many_blocks` (409).
   */
  blockUser(userId: string): Promise<void> {
    return this.http.request('PUT', `/users/me/blocks/${enc(userId)}`);
  }

  /** `DELETE /users/me/blocks/{user_id}`: lifts the block (nothing happens if there was none). */
  unblockUser(userId: string): Promise<void> {
    return this.http.request('DELETE', `/users/me/blocks/${enc(userId)}`);
  }
}
