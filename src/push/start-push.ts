/**
 * Web Push in one process (docs/architecture.md, "The push queue"): the push engine (the
 * dispatcher that expands queued messages, the sender that delivers them), woken by this
 * process's sends. On SQLite it runs on a thread of its own (push.worker.ts), so the queue's
 * statements and the encryption never hold up the event loop; on PostgreSQL its queries are
 * asynchronous and it runs here.
 */
import type { DomainEventHub } from '../bus/domain-event-hub.js';
import type { Config } from '../config/config.js';
import type { DeliveryOutcome } from '../domain/ports/push-repository.js';
import type { Store } from '../domain/ports/repositories.js';
import type { PushRecipientDeps } from '../domain/push/push-recipients.js';
import type { ServerMetrics } from '../observability/metrics.js';
import { startPushEngine, type PushEngine, type PushEngineSettings } from './push-engine.js';
import type { PushLog } from './push-sender.js';
import { pushEgressOptions } from './push-egress.js';
import { PushThread } from './push-thread.js';
import { withoutBlockers } from './blocked-recipients.js';
import { decideLocally, type RecipientDecider } from './recipient-decider.js';
import type { VapidKeys } from './vapid.js';

export interface PushRuntime {
  stop(): Promise<void>;
}

export interface PushRuntimeDeps {
  config: Config;
  store: Store;
  /** The SQLite database file the push thread opens; null runs the engine on the main thread with `store`'s queue. */
  sqlitePath: string | null;
  events: DomainEventHub;
  keys: VapidKeys;
  log: PushLog;
  metrics?: ServerMetrics;
  /** Who gets a push: notification settings, the notification policy and presence (pushRecipientDeps), or a test's stand-ins. */
  recipients: PushRecipientDeps;
}

export function pushEngineSettings(config: Config): PushEngineSettings {
  return {
    egress: pushEgressOptions(config),
    concurrency: config.PUSH_CONCURRENCY,
    perOrigin: config.PUSH_CONCURRENCY_PER_ORIGIN,
    timeoutMs: config.PUSH_TIMEOUT_MS,
    ttlSeconds: config.PUSH_TTL_SECONDS,
    collapseMs: config.PUSH_COLLAPSE_SECONDS * 1000,
    pollMs: config.PUSH_POLL_MS,
  };
}

export function startPush(deps: PushRuntimeDeps): PushRuntime {
  const { config } = deps;
  const settings = pushEngineSettings(config);
  const decideBySettings = decideLocally(deps.recipients);
  const decide: RecipientDecider = async (messages, at) => withoutBlockers(messages, await decideBySettings(messages, at), deps.store.blocks);
  const countOutcome = (kind: DeliveryOutcome['kind'], count = 1) => deps.metrics?.pushDeliveries.inc({ outcome: kind }, count);
  const engine: PushEngine =
    deps.sqlitePath !== null
      ? new PushThread({
          data: { path: deps.sqlitePath, busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS, settings, keys: deps.keys },
          shouldStart: async () => (await deps.store.pushSubscriptions.any()) || (await deps.store.pushQueue.hasWork()),
          decide,
          log: deps.log,
          countOutcome,
        })
      : startPushEngine({ settings, queue: deps.store.pushQueue, keys: deps.keys, decide, log: deps.log, countOutcome });
  const unsubscribe = deps.events.subscribe((event) => {
    if (event.type === 'message.created') engine.wakeSoon();
  });
  return {
    stop: async () => {
      unsubscribe();
      await engine.stop();
    },
  };
}
