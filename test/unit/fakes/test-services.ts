/**
 * The domain services wired to in-memory fakes of every port: `newTestServices()` is the unit
 * tests' composition root (as src/services.ts is the server's), plus shortcuts to arrange state.
 */
import { randomUUID } from 'node:crypto';
import type { Conversation, DirectoryVisibility, RegistrationPolicy, User } from '@pneumatic/protocol';
import { AccountService, type Principal } from '../../../src/domain/account.service.js';
import { ConversationService } from '../../../src/domain/conversation.service.js';
import { MessageService } from '../../../src/domain/message.service.js';
import { NotificationSettingsService } from '../../../src/domain/notification-settings.service.js';
import type { FileInspector } from '../../../src/domain/ports/file-inspector.js';
import type { DomainMetrics } from '../../../src/domain/ports/metrics.js';
import type { RateBudget } from '../../../src/domain/ports/rate-limiter.js';
import { PinService } from '../../../src/domain/pin.service.js';
import { ProfileService } from '../../../src/domain/profiles/profile.service.js';
import { ReactionService } from '../../../src/domain/reaction.service.js';
import { PasswordHasher } from '../../../src/domain/security/password-hasher.js';
import { SessionService } from '../../../src/domain/sessions/session.service.js';
import { InMemoryFileStorage } from './in-memory-files.js';
import { InMemoryRateLimiter } from './in-memory-rate-limiter.js';
import { InMemoryStore } from './in-memory-store.js';
import { RecordingEvents } from './recording-events.js';
import { unsupportedPort } from './unsupported-port.js';

export class CountingMetrics implements DomainMetrics {
  stored = 0;

  messageStored(): void {
    this.stored++;
  }
}

export interface TestServiceOptions {
  limits?: Partial<Record<RateBudget, number>>;
  sessionTtlSeconds?: number;
  /** REACTIONS_MAX_DISTINCT; 20 by default, as the server's. */
  reactionsMaxDistinct?: number;
  /** Pins per conversation; PINS_MAX_PER_CONVERSATION (50) by default, as the server's. */
  maxPins?: number;
  /** MENTION_ALL_MAX_MEMBERS; 20 by default, as the server's. */
  mentionAllMaxMembers?: number;
  /** The clock notification settings compare mutes with; the wall clock by default. */
  now?: () => Date;
  /** DIRECTORY_VISIBILITY; 'all' by default, as the server's. */
  directoryVisibility?: DirectoryVisibility;
  /** REGISTRATION; 'open' by default (the in-memory store keeps no invites). */
  registration?: RegistrationPolicy;
}

export function newTestServices(options: TestServiceOptions = {}) {
  const store = new InMemoryStore();
  const events = new RecordingEvents();
  const limiter = new InMemoryRateLimiter(options.limits);
  const metrics = new CountingMetrics();
  // The cheap argon2id profile: real hashing, a millisecond per hash.
  const hasher = new PasswordHasher('test');
  const loginGuard = { failuresPerClient: 10, throttleAfter: 5, throttleMaxSeconds: 30 };
  const registration = options.registration ?? 'open';
  const accounts = new AccountService({ store, events, limiter, hasher, sessionTtlSeconds: options.sessionTtlSeconds ?? 3600, loginGuard, registration, passwordLogin: true });
  const conversations = new ConversationService({ store, events });
  const messages = new MessageService({ store, events, limiter, metrics, mentionAllMaxMembers: options.mentionAllMaxMembers ?? 20 });
  const reactions = new ReactionService({ store, events, maxDistinct: options.reactionsMaxDistinct ?? 20 });
  const pins = new PinService({ store, events, ...(options.maxPins === undefined ? {} : { maxPins: options.maxPins }) });
  const notificationSettings = new NotificationSettingsService({ store, events, ...(options.now ? { now: options.now } : {}) });
  const files = new InMemoryFileStorage();
  // Decoding images is sharp's, tested with real files (test/uploads/); the unit tests set avatar keys through the store.
  const inspector = unsupportedPort<FileInspector>('image decoding');
  const profiles = new ProfileService({ store, files, inspector, events, limiter, directoryVisibility: options.directoryVisibility ?? 'all' });
  const sessions = new SessionService({ store, hasher, limiter, events, loginGuard });

  /** A user stored directly (no password hashing), for cases about something else. */
  async function newUser(username: string): Promise<User> {
    const created = await store.users.create({ id: randomUUID(), username, created_at: new Date().toISOString(), password_hash: 'unused' });
    if (!created) throw new Error(`username ${username} taken`);
    return created;
  }

  /** A conversation created through the service, the published events forgotten. */
  async function newConversation(owner: User, members: User[] = [], title = 'test'): Promise<Conversation> {
    const created = await conversations.create(owner.id, { title, member_ids: members.map((m) => m.id) });
    events.take();
    return created;
  }

  /** The user as signed in with a login session (every scope), without a stored session. */
  const principalOf = (user: User, sessionId: string = randomUUID()): Principal => ({ user, session_id: sessionId, expires_at: '2999-01-01T00:00:00.000Z', scopes: null });

  return { store, events, limiter, metrics, files, accounts, conversations, messages, reactions, pins, notificationSettings, profiles, sessions, newUser, newConversation, principalOf };
}

export type TestServices = ReturnType<typeof newTestServices>;
