/**
 * Web Push in one process (docs/architecture.md, "The push queue"): the dispatcher that expands
 * queued messages, the sender that delivers them, woken by this process's sends and by a poll.
 */
import type { DomainEventHub } from '../bus/domain-event-hub.js';
import type { Config } from '../config/config.js';
import type { Store } from '../domain/ports/repositories.js';
import type { PushRecipientDeps } from '../domain/push/push-recipients.js';
import type { ServerMetrics } from '../observability/metrics.js';
import { PushDispatcher } from './push-dispatcher.js';
import { PushSender, type PushLog } from './push-sender.js';
import { pushEgressOptions } from './push-egress.js';
import { PushTransport } from './push-transport.js';
import { VapidTokens, type VapidKeys } from './vapid.js';

export interface PushRuntime {
  stop(): Promise<void>;
}

export interface PushRuntimeDeps {
  config: Config;
  store: Store;
  events: DomainEventHub;
  keys: VapidKeys;
  log: PushLog;
  metrics?: ServerMetrics;
  /** Who gets a push: notification settings, the notification policy and presence (pushRecipientDeps), or a test's stand-ins. */
  recipients: PushRecipientDeps;
}

export function startPush(deps: PushRuntimeDeps): PushRuntime {
  const { config, store } = deps;
  const transport = new PushTransport(pushEgressOptions(config));
  const tokens = new VapidTokens(deps.keys);
  const sender = new PushSender({
    queue: store.pushQueue,
    send: (input, signal) => transport.send(input, signal),
    authorization: (origin) => tokens.authorization(origin),
    log: deps.log,
    countOutcome: (kind) => deps.metrics?.pushDeliveries.inc({ outcome: kind }),
    concurrency: config.PUSH_CONCURRENCY,
    perOrigin: config.PUSH_CONCURRENCY_PER_ORIGIN,
    timeoutMs: config.PUSH_TIMEOUT_MS,
    ttlSeconds: config.PUSH_TTL_SECONDS,
  });
  const dispatcher = new PushDispatcher({ queue: store.pushQueue, recipients: deps.recipients, onExpanded: () => sender.kick(), log: deps.log });
  const unsubscribe = deps.events.subscribe((event) => {
    if (event.type === 'message.created') dispatcher.wakeSoon();
  });
  const poll = setInterval(() => {
    dispatcher.wake();
    sender.kick();
  }, config.PUSH_POLL_MS);
  poll.unref();
  // Work left by a previous run or by other processes.
  dispatcher.wake();
  sender.kick();
  return {
    stop: async () => {
      clearInterval(poll);
      unsubscribe();
      await dispatcher.stop();
      await sender.stop();
      transport.close();
    },
  };
}
