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
import { AddressPolicy, createEgressAgents, egressOptionsFrom, type EgressOptions, type LookupFunction } from '../net/egress.js';
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
  signUrls?: (json: string) => string;
  countOutcome?: (outcome: 'delivered' | 'failed') => void;
  /** Resolves receivers' host names; dns.lookup when absent (tests map names to addresses). */
  lookup?: LookupFunction;
}

export function webhookEgressOptions(config: Config, lookup?: LookupFunction): EgressOptions {
  return {
    ...egressOptionsFrom(config),
    maxSocketsPerOrigin: config.WEBHOOK_CONCURRENCY_PER_ENDPOINT,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    ...(lookup ? { lookup } : {}),
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
  const agents = createEgressAgents(webhookEgressOptions(deps.config, deps.lookup));
  const engine = new WebhookEngine({
    settings: webhookEngineSettings(deps.config),
    queue: deps.queue,
    feed: deps.feed,
    send: webhookSender(agents, deps.config.WEBHOOK_TIMEOUT_MS),
    log: deps.log,
    signUrls: deps.signUrls,
    countOutcome: deps.countOutcome,
  });
  engine.start();
  const unsubscribe = deps.events.subscribe((event) => {
    const conversationId = conversationOf(event as ChangeData);
    if (conversationId !== undefined) engine.wake(conversationId);
  });
  return {
    stop: async () => {
      unsubscribe();
      await engine.stop();
      agents.destroy();
    },
  };
}
