/**
 * Outgoing webhooks in one process (docs/architecture.md, "Outgoing webhooks"): the engine on
 * the main thread, its egress agents, and the wake on every local change to a conversation.
 * On SQLite its statements are the main connection's, a few per page of events and none on the
 * send path: the queue is the change feed the send already wrote.
 */
import type { DomainEventHub } from '../bus/domain-event-hub.js';
import type { Config } from '../config/config.js';
import type { ChangeFeedRepository } from '../domain/ports/change-feed-repository.js';
import type { WebhookQueue } from '../domain/ports/webhook-repository.js';
import type { UrlSigner } from '../files/signed-urls.js';
import { AddressPolicy, createEgressAgents, egressOptionsFrom, type EgressOptions } from '../net/egress.js';
import { hostsLookup } from '../net/hosts-lookup.js';
import { WebhookThread } from './webhook-thread.js';
import { WebhookEngine, type WebhookEngineSettings, type WebhookLog } from './webhook-engine.js';
import { webhookSender } from './webhook-sender.js';

export interface WebhookRuntime {
  stop(): Promise<void>;
}

export interface WebhookRuntimeDeps {
  config: Config;
  queue: WebhookQueue;
  feed: ChangeFeedRepository;
  events: DomainEventHub;
  log: WebhookLog;
  /** The database the webhook thread opens (DATABASE_URL, when the store is the one it names); null runs the engine on this thread. */
  databaseUrl: string | null;
  /** Signs upload links in bodies, as every JSON answer's are. */
  signer: UrlSigner;
  countOutcome?: (outcome: 'delivered' | 'failed', count: number) => void;
  /** Host names resolved as listed rather than by DNS (tests map names to addresses). */
  hosts?: Record<string, string[]>;
}

export function webhookEgressOptions(config: Config): EgressOptions {
  return {
    ...egressOptionsFrom(config),
    maxSocketsPerOrigin: config.WEBHOOK_CONCURRENCY_PER_ENDPOINT,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
  };
}

/** Whether a webhook URL written as this IP address may be subscribed (checked again at every connection). */
export function webhookAddressAllowed(config: Config): (address: string) => boolean {
  const policy = new AddressPolicy(webhookEgressOptions(config));
  return (address) => policy.refusal(address) === null;
}

export function webhookEngineSettings(config: Config): WebhookEngineSettings {
  return {
    concurrency: config.WEBHOOK_CONCURRENCY,
    perEndpoint: config.WEBHOOK_CONCURRENCY_PER_ENDPOINT,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    pollMs: config.WEBHOOK_POLL_MS,
    retry: { baseMs: config.WEBHOOK_RETRY_BASE_MS, maxMs: config.WEBHOOK_RETRY_MAX_MS, disableAfterMs: config.WEBHOOK_DISABLE_AFTER_SECONDS * 1000 },
    logRetentionMs: config.WEBHOOK_LOG_RETENTION_DAYS * 86_400_000,
  };
}

interface ChangeData {
  conversation_id?: string;
  message?: { conversation_id: string };
  conversation?: { id: string };
}

/** The conversation a domain event changed, whichever of its shapes it has (domain/ports/events.ts). */
function conversationOf(data: ChangeData): string | undefined {
  return data.conversation_id ?? data.message?.conversation_id ?? data.conversation?.id;
}

export function startWebhooks(deps: WebhookRuntimeDeps): WebhookRuntime {
  const { config } = deps;
  const settings = webhookEngineSettings(config);
  const engine = deps.databaseUrl !== null ? threadEngine(deps, deps.databaseUrl, settings) : mainThreadEngine(deps, settings);
  const unsubscribe = deps.events.subscribe((event) => {
    const conversationId = conversationOf(event as ChangeData);
    if (conversationId !== undefined) engine.wake(conversationId);
  });
  return {
    stop: async () => {
      unsubscribe();
      await engine.stop();
    },
  };
}

interface RunningEngine {
  wake(conversationId: string): void;
  stop(): Promise<void>;
}

function threadEngine(deps: WebhookRuntimeDeps, databaseUrl: string, settings: WebhookEngineSettings): RunningEngine {
  const { config } = deps;
  const { lookup: _lookup, ca: _ca, ...egress } = webhookEgressOptions(config);
  return new WebhookThread({
    data: {
      databaseUrl,
      db: { poolMax: config.DB_POOL_MAX, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS, connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS, sqliteBusyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS },
      settings,
      egress,
      hosts: deps.hosts ?? null,
      signing: { secret: deps.signer.secret, ttlSeconds: deps.signer.ttlSeconds },
    },
    shouldStart: () => deps.queue.any(),
    log: deps.log,
    countOutcome: deps.countOutcome,
  });
}

/** Tests that stand in a store of their own (AppOverrides.store): the engine on this thread, on that store. */
function mainThreadEngine(deps: WebhookRuntimeDeps, settings: WebhookEngineSettings): RunningEngine {
  const agents = createEgressAgents({ ...webhookEgressOptions(deps.config), ...(deps.hosts ? { lookup: hostsLookup(deps.hosts) } : {}) });
  const engine = new WebhookEngine({
    settings,
    queue: deps.queue,
    feed: deps.feed,
    send: webhookSender(agents, deps.config.WEBHOOK_TIMEOUT_MS),
    log: deps.log,
    signUrls: (json) => deps.signer.signJson(json),
    countOutcome: (outcome) => deps.countOutcome?.(outcome, 1),
  });
  engine.start();
  return {
    wake: (conversationId) => engine.wake(conversationId),
    stop: async () => {
      await engine.stop();
      agents.destroy();
    },
  };
}
