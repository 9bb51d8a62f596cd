/** buildApp(config): the whole server, without listening. main.ts listens; tests use it directly. */
import { shutdownStep } from './observability/shutdown-steps.js';
import { readFileSync } from 'node:fs';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import type { EventBus } from './bus/event-bus.js';
import { createEventBus } from './bus/create-event-bus.js';
import { DomainEventHub } from './bus/domain-event-hub.js';
import type { Config } from './config/config.js';
import type { RateLimiter } from './domain/ports/rate-limiter.js';
import type { Store } from './domain/ports/repositories.js';
import { ClientErrors } from './http/client-errors.js';
import { registerAllowedHosts } from './http/plugins/allowed-hosts.js';
import { registerCors } from './http/plugins/cors.js';
import { registerErrorHandling } from './http/plugins/error-handling.js';
import { registerOpenApi } from './http/plugins/openapi.js';
import { registerSecurityHeaders } from './http/plugins/security-headers.js';
import { registerValidation } from './http/plugins/validation.js';
import { registerRoutes } from './http/register-routes.js';
import { hardenServer, serverOptions } from './http/server-options.js';
import type { RouteContext, TypedApp } from './http/route-context.js';
import { createRateLimiter } from './limits/create-rate-limiter.js';
import { connectRedis } from './redis/redis-clients.js';
import { loggerOptions } from './observability/logger.js';
import { ServerMetrics } from './observability/metrics.js';
import { CloseCode, type Limits, requestSchemas, toServerLimits } from '@pneumatic/protocol';
import { ConnectionRegistry } from './realtime/connection-registry.js';
import { deliverLocally, relayEventsToSockets } from './realtime/fanout.js';
import { EventSequencer } from './realtime/event-sequencer.js';
import { registerGateway } from './realtime/gateway.js';
import { createServices, type Services } from './services.js';
import { startEventCompaction } from './store/change-feed/event-compaction.js';
import { RetentionJob } from './retention/retention-job.js';
import { openStore } from './store/store.js';
import { openFiles, type OpenedFiles } from './files/open-files.js';
import { registerBodyDeadlines } from './http/body-deadlines.js';
import { CacheLink } from './store/cache/cache-link.js';
import { createDirectory, createTracker, type Presence } from './presence/create-presence.js';
import { pushRecipientDeps, type PushRecipientDeps } from './domain/push/push-recipients.js';
import { startPush } from './push/start-push.js';
import { startWebhooks } from './webhooks/start-webhooks.js';
import { parseDatabaseUrl } from './store/database-url.js';
import { loadVapidKeys } from './push/vapid.js';
import { MessageRemovalWorker } from './domain/admin/message-removal-worker.js';

/**
 * How long a process may serve a cached session or membership that another process changed,
 * should the announcement of the change be lost some way the bus cannot see (see CacheLink).
 */
const SHARED_CACHE_MAX_AGE_MS = 10_000;

export interface AppParts {
  config: Config;
  store: Store;
  bus: EventBus;
  /** Domain events of this process's commits: subscribe here to react to changes. */
  events: DomainEventHub;
  services: Services;
  registry: ConnectionRegistry;
  metrics: ServerMetrics;
  /** File storage, link signing and the uploads' clean-up job. */
  files: OpenedFiles;
  /**
   * Presence: the shared live state (`directory`, also the ViewingReader: who views a
   * conversation now) and this process's tracker. `services.presence` is the PresenceReader.
   */
  presence: Presence;
}

declare module 'fastify' {
  interface FastifyInstance {
    pneumatic: AppParts;
  }
}

export interface AppOverrides {
  store?: Store;
  bus?: EventBus;
  limiter?: RateLimiter;
  /** pino destination, for tests that read the log. */
  logStream?: NodeJS.WritableStream;
  /** Who gets a push: tests stand in for notification settings and presence (start-push.ts). */
  pushRecipients?: PushRecipientDeps;
  /** Webhook receivers' host names resolved as listed rather than by DNS: tests map names to addresses (the SSRF table). */
  webhookHosts?: Record<string, string[]>;
}

/** package.json sits one level up from src/ when run from source, two from dist/src/. */
function packageVersion(): string {
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
}

const VERSION = packageVersion();

export function limitsFromConfig(config: Config): Limits {
  return {
    usernameMinChars: config.USERNAME_MIN_CHARS,
    usernameMaxChars: config.USERNAME_MAX_CHARS,
    passwordMinChars: config.PASSWORD_MIN_CHARS,
    passwordMaxChars: config.PASSWORD_MAX_CHARS,
    titleMaxChars: config.TITLE_MAX_CHARS,
    contentMaxChars: config.CONTENT_MAX_CHARS,
    membersMax: config.MEMBERS_MAX,
  };
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<TypedApp> {
  const logger = loggerOptions(config.LOG_LEVEL);
  const metrics = new ServerMetrics();
  const clientErrors = new ClientErrors(metrics, config.HTTP_REQUEST_TIMEOUT_MS);
  const app = Fastify({
    ...serverOptions(config, clientErrors),
    logger: overrides.logStream && logger && typeof logger === 'object' ? { ...logger, stream: overrides.logStream } : logger,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Several processes cache too, each forgetting what the others change (announced over the bus).
  const cacheLink = config.singleProcess ? null : new CacheLink(SHARED_CACHE_MAX_AGE_MS);
  const store = overrides.store ?? (await openStore(config.DATABASE_URL, {
    poolMax: config.DB_POOL_MAX,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    sqliteBusyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS,
    cacheInProcess: config.singleProcess,
    cacheLink,
    health: { log: app.log.child({ component: 'storage' }), countFailure: (reason) => metrics.storageFailures.inc({ reason }) },
  }));
  const redis = await connectRedis(config, app.log);
  const bus = overrides.bus ?? createEventBus(config, redis, app.log);
  const limiter = overrides.limiter ?? createRateLimiter(config, redis);
  const events = new DomainEventHub((error, event) => app.log.error({ err: error, event: event.type }, 'a domain event subscriber failed'));
  const opened = await openFiles(config, store.uploads, app.log.child({ component: 'uploads' }));
  const presenceLog = app.log.child({ component: 'presence' });
  const directory = createDirectory(config, redis, presenceLog);
  const vapid = await loadVapidKeys(config, store.pushSubscriptions);
  const services = createServices(
    config,
    store,
    events,
    limiter,
    metrics,
    { files: opened.files, inspector: opened.inspector, attachmentsReleased: () => opened.cleanup.nudge() },
    { vapidPublicKey: vapid.publicKey },
    { presence: directory },
    // The worker is made below, from these services; a removal is only started once requests come.
    { messageRemovalStarted: () => removals.nudge(), retentionChanged: () => retention.nudge() },
  );
  await services.admin.appointListedAccounts();
  const removals = new MessageRemovalWorker({
    removals: store.messageRemovals,
    messages: services.messages,
    auditLog: store.auditLog,
    pollIntervalMs: config.MESSAGE_REMOVAL_POLL_INTERVAL_MS,
    leaseMs: config.MESSAGE_REMOVAL_LEASE_MS,
    log: app.log.child({ component: 'message-removals' }),
  });
  // The push thread opens the database file itself: only when the store is the one DATABASE_URL names.
  const database = parseDatabaseUrl(config.DATABASE_URL);
  const sqlitePath = !overrides.store && database.dialect === 'sqlite' ? database.path : null;
  const push = startPush({ config, store, sqlitePath, events, keys: vapid, log: app.log.child({ component: 'push' }), metrics, recipients: overrides.pushRecipients ?? pushRecipientDeps(store.notificationSettings, directory) });
  const webhooks = startWebhooks({
    config,
    queue: store.webhookQueue,
    feed: store.changeFeed,
    events,
    log: app.log.child({ component: 'webhooks' }),
    // The webhook thread opens the database itself: only when the store is the one DATABASE_URL names.
    databaseUrl: overrides.store ? null : config.DATABASE_URL,
    signer: opened.signer,
    countOutcome: (outcome, count) => metrics.webhookDeliveries.inc({ outcome }, count),
    ...(overrides.webhookHosts ? { hosts: overrides.webhookHosts } : {}),
  });
  const sequencer = new EventSequencer({ gapHoldMs: 500, firstContactHoldMs: config.singleProcess ? 0 : 30 });
  const registry = new ConnectionRegistry(
    (count) => metrics.openConnections.set(count),
    (userId) => sequencer.forgetUser(userId),
  );
  relayEventsToSockets(events, bus);
  if (cacheLink) {
    cacheLink.connect((keys, routeKey) => bus.invalidate(keys, routeKey), () => bus.isHealthy());
    bus.onInvalidation((keys) => cacheLink.forget(keys));
  }
  bus.onDelivery((delivery) => deliverLocally(registry, sequencer, delivery));
  const tracker = createTracker(directory, { config, store, bus, events, cacheLink, devicesOf: (userId) => registry.forUser(userId), log: presenceLog });
  const presence: Presence = { directory, tracker };
  // Events published while the bus was away are lost to this process: its clients reconnect and catch up.
  bus.onInterrupted(() => {
    // Announcements may have been missed too.
    cacheLink?.forgetAll();
    for (const connection of [...registry.all()]) connection.close(CloseCode.BUS_INTERRUPTED, 'event bus interrupted; reconnect and catch up');
  });
  const retention = new RetentionJob(store.retention, store.jobLeases, events, () => opened.cleanup.nudge(), {
    intervalMs: config.RETENTION_INTERVAL_MS,
    batchSize: config.RETENTION_BATCH_SIZE,
    pauseMs: config.RETENTION_BATCH_PAUSE_MS,
    log: app.log.child({ component: 'retention' }),
  });
  retention.start();
  const stopCompaction = startEventCompaction(store.changeFeed, {
    retentionDays: config.EVENT_RETENTION_DAYS,
    intervalMs: config.EVENT_COMPACTION_INTERVAL_MS,
    log: app.log.child({ component: 'change-feed' }),
  });
  registry.startHeartbeat(config.WS_HEARTBEAT_MS);
  registry.startExpirySweep();
  tracker.start();
  removals.start();
  app.decorate('pneumatic', { config, store, bus, events, services, registry, metrics, files: opened, presence });
  app.decorateRequest('principal', null);

  registerAllowedHosts(app, config);
  registerValidation(app);
  // Only JSON bodies: a text/plain body is refused with 415 rather than validated as a string.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app, clientErrors);
  hardenServer(app, config, metrics);
  registerBodyDeadlines(app, clientErrors, {
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    uploadIdleTimeoutMs: config.UPLOAD_IDLE_TIMEOUT_MS,
    isUpload: (method, url) => method === 'POST' && (url === '/uploads' || url.startsWith('/uploads?')),
  });
  registerSecurityHeaders(app);
  // Upload links in any JSON answer are signed as it leaves (files/signed-urls.ts).
  app.addHook('onSend', (_request, _reply, payload, done) => {
    done(null, typeof payload === 'string' ? opened.signer.signJson(payload) : payload);
  });
  // Compression is registered only around the change feed's routes (change-feed.routes.ts).
  await registerCors(app, config.CORS_ORIGINS);
  await registerOpenApi(app, VERSION);

  // A callback hook, not an async one: no promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.observeHttpRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  const limits = limitsFromConfig(config);
  const ctx: RouteContext = {
    config,
    services,
    schemas: requestSchemas(limits),
    limits: toServerLimits(limits, {
      bodyMaxBytes: config.BODY_MAX_BYTES,
      wsMaxFrameBytes: config.WS_MAX_FRAME_BYTES,
      uploadMaxBytes: config.UPLOAD_MAX_BYTES,
      uploadQuotaBytes: config.UPLOAD_QUOTA_BYTES,
    }),
    metrics,
    store,
    bus,
    urlSigner: opened.signer,
  };
  await registerRoutes(app, ctx);
  await registerGateway(app, {
    config,
    limits,
    services,
    registry,
    bus,
    sequencer,
    metrics,
    signUrls: (text) => opened.signer.signJson(text),
    presence: tracker,
  });

  app.addHook('onClose', async () => {
    registry.stopHeartbeat();
    registry.stopExpirySweep();
    const step = (name: string, run: () => Promise<unknown> | unknown) => shutdownStep(name, app.log, run);
    await step('change-feed compaction', stopCompaction);
    await step('retention', () => retention.stop());
    // Before the bus and the store: a batch under way ends, its deletes announced, and the lease is given up.
    await step('message removals', () => removals.stop());
    await step('push', () => push.stop());
    await step('webhooks', () => webhooks.stop());
    await step('files', () => opened.close());
    // Before the bus and Redis: the last last-seen times are written, the heartbeat stopped.
    await step('presence', () => tracker.close());
    await step('bus', () => bus.close());
    await step('redis', () => redis?.close());
    await step('store', () => store.close());
  });
  return app;
}
