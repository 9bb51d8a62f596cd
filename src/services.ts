/** The composition root of the domain: one instance of each service, shared by HTTP and WebSocket. */
import type { Config } from './config/config.js';
import { AccountService } from './domain/account.service.js';
import { ChangeFeedService } from './domain/change-feed.service.js';
import { ConversationService } from './domain/conversation.service.js';
import { MessageService } from './domain/message.service.js';
import { NotificationSettingsService } from './domain/notification-settings.service.js';
import type { EventPublisher } from './domain/ports/events.js';
import type { DomainMetrics } from './domain/ports/metrics.js';
import type { RateLimiter } from './domain/ports/rate-limiter.js';
import type { Store } from './domain/ports/repositories.js';
import { PinService } from './domain/pin.service.js';
import { ReactionService } from './domain/reaction.service.js';
import { SearchService } from './domain/search.service.js';
import { PasswordHasher } from './domain/security/password-hasher.js';
import { ThreadService } from './domain/thread.service.js';
import type { FileInspector } from './domain/ports/file-inspector.js';
import type { FileStorage } from './domain/ports/file-storage.js';
import { UploadService } from './domain/upload.service.js';
import { PresenceService } from './domain/presence.service.js';
import type { PresenceDirectory } from './domain/ports/presence.js';
import { PushSubscriptionService } from './domain/push/push-subscription.service.js';
import { ProfileService } from './domain/profiles/profile.service.js';
import { SessionService } from './domain/sessions/session.service.js';
import { InviteService } from './domain/registration/invite.service.js';
import { ApiTokenService } from './domain/api-token.service.js';
import { BotService } from './domain/bot.service.js';
import { IncomingWebhookService } from './domain/incoming-webhook.service.js';
import { WebhookService } from './domain/webhooks/webhook.service.js';
import { webhookAddressAllowed } from './webhooks/start-webhooks.js';
import { SsoService } from './domain/sso/sso.service.js';
import { OpenIdClientProviders } from './sso/openid-client-providers.js';
import { pushAddressAllowed } from './push/push-egress.js';
import { AdminService } from './domain/admin/admin.service.js';
import { BlockService } from './domain/blocks/block.service.js';
import { ReportService } from './domain/admin/report.service.js';
import { RetentionService } from './domain/retention/retention.service.js';
import { UserExportService } from './domain/account/user-export.service.js';
import { MessageRemovalService } from './domain/admin/message-removal.service.js';

export interface Services {
  accounts: AccountService;
  profiles: ProfileService;
  sessions: SessionService;
  invites: InviteService;
  sso: SsoService;
  conversations: ConversationService;
  messages: MessageService;
  changeFeed: ChangeFeedService;
  reactions: ReactionService;
  pins: PinService;
  threads: ThreadService;
  search: SearchService;
  uploads: UploadService;
  presence: PresenceService;
  notificationSettings: NotificationSettingsService;
  push: PushSubscriptionService;
  apiTokens: ApiTokenService;
  bots: BotService;
  incomingWebhooks: IncomingWebhookService;
  webhooks: WebhookService;
  admin: AdminService;
  blocks: BlockService;
  reports: ReportService;
  messageRemovals: MessageRemovalService;
  userExport: UserExportService;
  retention: RetentionService;
}

/** What the services need beyond the store: where files live and how their bytes are read. */
export interface FileServices {
  files: FileStorage;
  inspector: FileInspector;
  /** Told when a deleted message released files (the clean-up job runs soon). */
  attachmentsReleased: () => void;
}

/** What the push service needs beyond the store: the server's VAPID public key (push/vapid.ts). */
export interface PushKeys {
  vapidPublicKey: string;
}

/** What the services tell this process's background jobs (app.ts starts them). */
export interface BackgroundJobs {
  /** A message removal was stored: this process's worker takes it up now. */
  messageRemovalStarted?: () => void;
  /** A retention period changed: this process's retention job runs now. */
  retentionChanged?: () => void;
}

/** What the services need of the live state beyond the store. */
export interface LiveServices {
  presence: Pick<PresenceDirectory, 'read'>;
}

export function createServices(
  config: Config,
  store: Store,
  events: EventPublisher,
  limiter: RateLimiter,
  metrics: DomainMetrics,
  files: FileServices,
  push: PushKeys,
  live: LiveServices,
  jobs: BackgroundJobs = {},
): Services {
  const apiTokens = new ApiTokenService({ store, events, maxPerUser: config.API_TOKENS_MAX_PER_USER });
  const bots = new BotService({ store, tokens: apiTokens, maxPerUser: config.BOTS_MAX_PER_USER });
  const conversations = new ConversationService({ store, events });
  const messages = new MessageService({ store, events, limiter, metrics, mentionAllMaxMembers: config.MENTION_ALL_MAX_MEMBERS, attachmentsReleased: files.attachmentsReleased });
  const hasher = new PasswordHasher(config.PASSWORD_HASH_COST);
  const loginGuard = {
    failuresPerClient: config.RATE_LIMIT_LOGIN_FAILURES_PER_CLIENT,
    throttleAfter: config.RATE_LIMIT_LOGIN_THROTTLE_AFTER,
    throttleMaxSeconds: config.RATE_LIMIT_LOGIN_THROTTLE_MAX_SECONDS,
  };
  const admin = new AdminService({ store, events, adminUsernames: config.ADMIN_USERNAMES, moderated: { messages, conversations } });
  const accounts = new AccountService({
    store,
    events,
    limiter,
    hasher,
    sessionTtlSeconds: config.SESSION_TTL_SECONDS,
    loginGuard,
    registration: config.REGISTRATION,
    passwordLogin: config.PASSWORD_LOGIN,
    appointAdmin: (user) => admin.appointIfListed(user),
  });
  return {
    accounts,
    admin,
    blocks: new BlockService(store),
    reports: new ReportService(store, admin),
    messageRemovals: new MessageRemovalService({ store, admin, started: () => jobs.messageRemovalStarted?.() }),
    userExport: new UserExportService(store),
    retention: new RetentionService({ store, events, admin, nudge: () => jobs.retentionChanged?.() }),
    sso: new SsoService({
      sso: store.sso,
      users: store.users,
      openId: new OpenIdClientProviders(config.oidcProviders, config.OIDC_ALLOW_HTTP),
      accounts,
      limiter,
      providers: config.oidcProviders,
      publicUrl: config.PUBLIC_URL,
      allowedOrigins: config.CORS_ORIGINS,
      usernames: { minChars: config.USERNAME_MIN_CHARS, maxChars: config.USERNAME_MAX_CHARS },
    }),
    invites: new InviteService({ store, registration: config.REGISTRATION }),
    profiles: new ProfileService({ store, events, limiter, files: files.files, inspector: files.inspector, directoryVisibility: config.DIRECTORY_VISIBILITY }),
    sessions: new SessionService({ store, events, limiter, hasher, loginGuard }),
    conversations,
    messages,
    changeFeed: new ChangeFeedService({ store }),
    reactions: new ReactionService({ store, events, maxDistinct: config.REACTIONS_MAX_DISTINCT }),
    pins: new PinService({ store, events }),
    threads: new ThreadService({ store, events }),
    search: new SearchService({ store, limiter }),
    uploads: new UploadService({
      store,
      files: files.files,
      inspector: files.inspector,
      limiter,
      maxBytes: config.UPLOAD_MAX_BYTES,
      quotaBytes: config.UPLOAD_QUOTA_BYTES,
      idleTimeoutMs: config.UPLOAD_IDLE_TIMEOUT_MS,
    }),
    presence: new PresenceService({ store, directory: live.presence }),
    notificationSettings: new NotificationSettingsService({ store, events }),
    push: new PushSubscriptionService({
      subscriptions: store.pushSubscriptions,
      maxPerUser: config.PUSH_MAX_SUBSCRIPTIONS_PER_USER,
      endpointRules: { allowInsecureEndpoints: config.PUSH_ALLOW_INSECURE_ENDPOINTS, addressAllowed: pushAddressAllowed(config) },
      vapidPublicKey: push.vapidPublicKey,
    }),
    apiTokens,
    bots,
    incomingWebhooks: new IncomingWebhookService({ store, bots, conversations, messages }),
    webhooks: new WebhookService({
      store,
      webhooks: store.webhooks,
      urlRules: { allowHttp: config.WEBHOOK_ALLOW_HTTP, addressAllowed: webhookAddressAllowed(config) },
      maxPerUser: config.WEBHOOKS_MAX_PER_USER,
      secretOverlapMs: config.WEBHOOK_SECRET_OVERLAP_SECONDS * 1000,
    }),
  };
}
