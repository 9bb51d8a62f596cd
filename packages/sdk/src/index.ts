/**
 * @pneumatic/client: the TypeScript client of the Pneumatic chat server.
 * Start with {@link PneumaticClient}; `connect()` gives a live {@link Session}.
 */
export { PneumaticClient, type ClientOptions } from './client.js';
export { Session, type SessionOptions } from './session/session.js';
export type { ReactionEvent, SessionEvents, SessionState, SessionStateChange } from './session/session-events.js';
export type { ConnectionState } from './session/connection.js';
export type { WebSocketFactory, WebSocketLike } from './session/websocket.js';
export { RestApi } from './rest-api.js';
export { subscribeToPush, unsubscribeFromPush, isNewPush, base64UrlBytes, type PushApi, type PushRegistrationLike, type PushSubscriptionLike } from './push/web-push.js';
export type { UploadInput, UploadOptions, UploadProgress } from './uploads/upload-options.js';
export { HttpClient, type FetchLike, type HttpClientOptions, type RequestCredentialsMode } from './http-client.js';
export { PneumaticError, fieldErrorsOf, isRetryable, type ClientErrorCode } from './errors.js';
export { Outbox, type OutboxEvents, type OutboxTransport, type SendOptions } from './outbox.js';
export { MemoryOutboxStore, LocalStorageOutboxStore, type OutboxEntry, type OutboxStore, type StorageLike } from './outbox-store.js';
export { Backoff, backoffDelay, type BackoffOptions } from './backoff.js';
export { messagesAfter } from './catch-up.js';
export { ChatState, type ChatStateOptions } from './state/chat-state.js';
export type { ChatStateChanges } from './state/state-changes.js';
export type { MessageReaction } from './state/own-reactions.js';
export { LastMessages } from './state/last-messages.js';
export { MessageWindow } from './state/message-window.js';
export { UnreadCounter } from './state/unread-counter.js';
export { MentionCounter } from './state/mention-counter.js';
export { TypingTracker } from './state/typing-tracker.js';
export { ReadPositions } from './state/read-positions.js';
export { PinnedMessages } from './state/pinned-messages.js';
export { ThreadState } from './state/thread-state.js';
export { NotificationSettingsState, type EffectiveConversationNotifications } from './state/notification-settings.js';
export { UserCache, type CachedUser } from './state/user-cache.js';
export type { SessionThreads } from './session/threads.js';
export { Emitter, type Listener } from './emitter.js';
export type * from './types.js';
export type { FieldError, ServerLimits } from '@pneumatic/protocol';
export { CloseCode, FIRST_RECONNECT_CLOSE_CODE, FIRST_TERMINAL_CLOSE_CODE } from '@pneumatic/protocol/close-codes';
export { BUILT_IN_NOTIFICATION_DEFAULTS, MUTED_FOREVER, NOTIFICATION_LEVELS } from '@pneumatic/protocol/notification-defaults';
export { API_TOKEN_PREFIX, SCOPES } from '@pneumatic/protocol/scopes';
export { ConversationEventTypes } from '@pneumatic/protocol/event-types';
export { INVITE_CODE_PREFIX, INVITE_EXPIRY_DEFAULT_SECONDS, INVITE_EXPIRY_MAX_SECONDS, INVITE_EXPIRY_MIN_SECONDS, INVITE_USES_MAX, REGISTRATION_POLICIES } from './invite-limits.js';
