/**
 * Profiles and the directory (docs/API.md, "Profiles", "Finding people"): a user changes their
 * display name, status text and avatar; anyone finds people by prefix, within what
 * DIRECTORY_VISIBILITY allows.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AVATAR_SIDE,
  DIRECTORY_QUERY_MAX_CHARS,
  DIRECTORY_QUERY_MIN_CHARS,
  DISPLAY_NAME_MAX_CHARS,
  STATUS_TEXT_MAX_CHARS,
  type DirectoryVisibility,
  type UpdateProfile,
  type User,
} from '@pneumatic/protocol';
import type { Principal } from '../account.service.js';
import { nowIso } from '../clock.js';
import { AppError } from '../errors.js';
import type { EventPublisher } from '../ports/events.js';
import type { FileInspector } from '../ports/file-inspector.js';
import type { FileStorage } from '../ports/file-storage.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { ProfileChanges, Store } from '../ports/repositories.js';
import { requireScope } from '../scope.policy.js';
import { storageKeys } from '../uploads/storage-keys.js';
import { normalizeProfileText } from './profile-text.policy.js';
import { decodeDirectoryCursor, encodeDirectoryCursor } from './directory-cursor.js';
import { foldForSearch } from './search-terms.js';

/** An avatar's file name as the server makes them: 16 random bytes, base64url, `.webp`. */
const AVATAR_FILE = /^[A-Za-z0-9_-]{22}\.webp$/;

export interface ProfileServiceDeps {
  store: Store;
  files: FileStorage;
  inspector: FileInspector;
  events: EventPublisher;
  limiter: RateLimiter;
  directoryVisibility: DirectoryVisibility;
}

export interface DirectoryRequest {
  q: string;
  limit: number;
  cursor?: string;
}

export class ProfileService {
  /** Avatars are made one at a time per process: decoding an image can take hundreds of MB. */
  private avatarWork: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ProfileServiceDeps) {}

  async update(principal: Principal, body: UpdateProfile): Promise<User> {
    requireScope(principal.scopes, 'account:manage');
    const changes: ProfileChanges = {};
    if (body.display_name !== undefined) {
      changes.display_name = normalizeProfileText(body.display_name, { field: 'display_name', maxChars: DISPLAY_NAME_MAX_CHARS, code: 'invalid_display_name' });
    }
    if (body.status_text !== undefined) {
      changes.status_text = normalizeProfileText(body.status_text, { field: 'status_text', maxChars: STATUS_TEXT_MAX_CHARS, code: 'invalid_status_text' });
    }
    return this.apply(principal.user.id, changes);
  }

  /** The avatar made from one of the caller's image uploads. */
  async setAvatar(principal: Principal, uploadId: string): Promise<User> {
    requireScope(principal.scopes, 'account:manage');
    const upload = await this.deps.store.uploads.find(uploadId);
    if (!upload || upload.owner_id !== principal.user.id || upload.status !== 'ready') {
      throw new AppError('upload_not_found', 'You have no upload with this id.');
    }
    await this.deps.limiter.check('profile_changes', principal.user.id);
    const keys = storageKeys(upload.id);
    const key = upload.cleaned ? keys.cleaned : keys.original;
    const open = async (): Promise<Readable> => {
      const stream = await this.deps.files.get(key);
      if (!stream) throw new AppError('upload_not_found', 'The upload was deleted meanwhile.');
      return stream;
    };
    const task = () => this.deps.inspector.avatar(open, upload.content_type, AVATAR_SIDE);
    const made = this.avatarWork.then(task, task);
    this.avatarWork = made.catch(() => {});
    const bytes = await made;
    if (!bytes) throw new AppError('not_an_image', 'That upload is not an image the server can read (PNG, JPEG, GIF or WebP).');
    // A new random name each time: the URL never changes content, so it may be cached forever.
    const avatarKey = `avatars/${randomBytes(16).toString('base64url')}.webp`;
    await this.deps.files.put(avatarKey, Readable.from([Buffer.from(bytes)]), 'image/webp');
    try {
      return await this.apply(principal.user.id, { avatar_key: avatarKey });
    } catch (error) {
      await this.deps.files.delete(avatarKey).catch(() => {});
      throw error;
    }
  }

  async clearAvatar(principal: Principal): Promise<User> {
    requireScope(principal.scopes, 'account:manage');
    return this.apply(principal.user.id, { avatar_key: null });
  }

  async search(principal: Principal, request: DirectoryRequest): Promise<{ users: User[]; next_cursor: string | null }> {
    const query = request.q.trim();
    if ([...query].length > DIRECTORY_QUERY_MAX_CHARS) throw new AppError('query_too_long', `A directory query is at most ${DIRECTORY_QUERY_MAX_CHARS} characters.`);
    // Counted once folded: two combining marks alone fold to nothing, a prefix of everyone.
    const prefix = foldForSearch(query).trim().replace(/\s+/gu, ' ');
    if ([...prefix].length < DIRECTORY_QUERY_MIN_CHARS) throw new AppError('query_too_short', `Type at least ${DIRECTORY_QUERY_MIN_CHARS} letters to search for people.`);
    const after = request.cursor === undefined ? null : decodeDirectoryCursor(request.cursor, prefix);
    const page = await this.deps.store.profiles.search({
      prefix,
      limit: request.limit,
      after,
      shared_with: this.deps.directoryVisibility === 'shared' ? principal.user.id : null,
    });
    return { users: page.users, next_cursor: page.last === null ? null : encodeDirectoryCursor(prefix, page.last) };
  }

  /** The users among `ids` (GET /users?ids=), in the order asked, unknown ids left out. */
  async usersByIds(ids: readonly string[]): Promise<User[]> {
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    const found = new Map((await this.deps.store.profiles.findByIds(unique)).map((user) => [user.id, user]));
    return unique.flatMap((id) => found.get(id) ?? []);
  }

  /** An avatar's bytes by its file name (`<random>.webp`), or null when there is none. */
  async openAvatar(file: string): Promise<NodeJS.ReadableStream | null> {
    if (!AVATAR_FILE.test(file)) return null;
    return this.deps.files.get(`avatars/${file}`);
  }

  private async apply(userId: string, changes: ProfileChanges): Promise<User> {
    await this.deps.limiter.consume('profile_changes', userId);
    const update = await this.deps.store.profiles.update(userId, changes, nowIso());
    if (!update) {
      // Nothing changed: the profile as it is (a new avatar file identical in effect is not possible: keys are random).
      const user = await this.deps.store.users.findById(userId);
      if (!user) throw new AppError('user_not_found', 'No user has this id.');
      return user;
    }
    this.deps.store.sessions.userChanged(userId);
    if (update.replaced_avatar_key !== null) await this.deps.files.delete(update.replaced_avatar_key).catch(() => {});
    this.deps.events.publish({ type: 'user.updated', user: update.user, user_seq: update.user_seq });
    for (const { conversation_id, event_seq, member } of update.announcements) {
      const memberIds = await this.deps.store.conversations.memberIds(conversation_id);
      this.deps.events.publish({ type: 'member.updated', conversation_id, member, member_ids: memberIds, event_seq });
    }
    return update.user;
  }
}
