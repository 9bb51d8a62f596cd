/**
 * The REST routes of accounts (docs/API.md, "Profiles", "Finding people", "Password and
 * sessions"): a base of RestApi, kept apart so each file has one area of the API.
 */
import { AdminRestApi } from './admin-rest-api.js';
import { usersByIds } from './users-request.js';
import type { LoginSession, ProfilePatch, User, UserDirectoryPage, UserExport, UserSearchOptions } from './types.js';

const enc = encodeURIComponent;

export class AccountsRestApi extends AdminRestApi {
  /**
   * `PATCH /users/me`: sets your display name and/or status text (`null` or "" clears one); a
   * field left out stays. Refusals: `invalid_display_name`, `invalid_status_text` (400), `rate_limited`.
   */
  updateProfile(patch: ProfilePatch): Promise<User> {
    return this.seenUser(this.http.request('PATCH', '/users/me', { body: patch }));
  }

  /**
   * `PUT /users/me/avatar`: makes one of your image uploads (`upload()`) your avatar, cropped
   * square and resized by the server. Refusals: `not_an_image` (400), `upload_not_found` (404).
   */
  setAvatar(uploadId: string): Promise<User> {
    return this.seenUser(this.http.request('PUT', '/users/me/avatar', { body: { upload_id: uploadId } }));
  }

  /**
   * `GET /users/me/export`: your own data in one document (account, blocks, the conversations
   * you are in, every message you sent in them). Large for a long history: it is read whole.
   */
  exportMyData(): Promise<UserExport> {
    return this.http.request('GET', '/users/me/export');
  }

  /** `DELETE /users/me/avatar`: back to no avatar (`avatar_url` null; clients show initials). */
  clearAvatar(): Promise<User> {
    return this.seenUser(this.http.request('DELETE', '/users/me/avatar'));
  }

  /**
   * `GET /users?q=`: the directory, by prefix of a username (or a part of it) or of a word of a
   * display name, ignoring case and accents; `query_too_short` under 2 characters. Pass
   * `next_cursor` as `cursor` for the next page.
   */
  async searchUsers(query: string, options: UserSearchOptions = {}): Promise<UserDirectoryPage> {
    const page = await this.http.request<UserDirectoryPage>('GET', '/users', { query: { q: query, ...options } });
    this.usersSeen(page.users);
    return page;
  }

  /** `GET /users?ids=`: the users among `ids` (any number, asked 100 at a time); unknown ids are left out. */
  async getUsers(ids: readonly string[]): Promise<User[]> {
    const users = await usersByIds(this.http, ids);
    this.usersSeen(users);
    return users;
  }

  /**
   * `POST /users/me/password`: every other login of yours is revoked (their sockets close with
   * 4401); this one and your API tokens stay. `wrong_password` (403) when `current` is wrong.
   */
  changePassword(current: string, next: string): Promise<void> {
    return this.http.request('POST', '/users/me/password', { body: { current_password: current, new_password: next } });
  }

  /** `GET /sessions`: your logins, most recently used first, `current` marking this one (API tokens are `listApiTokens`). */
  async listSessions(): Promise<LoginSession[]> {
    return (await this.http.request<{ sessions: LoginSession[] }>('GET', '/sessions')).sessions;
  }

  /** `DELETE /sessions/{id}`: that login stops working at once and its sockets close with 4401. */
  revokeSession(sessionId: string): Promise<void> {
    return this.http.request('DELETE', `/sessions/${enc(sessionId)}`);
  }

  /** Users an answer carried: PneumaticClient adds them to its session's `state.users`. */
  protected usersSeen(_users: readonly User[]): void {}

  /** The User an answer is, passed to {@link usersSeen} on its way. */
  protected async seenUser(answer: Promise<User>): Promise<User> {
    const user = await answer;
    this.usersSeen([user]);
    return user;
  }
}
