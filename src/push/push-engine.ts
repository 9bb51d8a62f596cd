/**
 * The push queue's two workers in one place (docs/architecture.md, "The push queue"): the
 * dispatcher that expands queued messages into deliveries and the sender that delivers them,
 * woken by sends and by a poll. It runs where start-push.ts puts it: on the main thread (on
 * PostgreSQL, whose queries do not block it) or on a thread of its own (SQLite, push.worker.ts).
 */
import type { DeliveryOutcome, PushQueueRepository } from '../domain/ports/push-repository.js';
import type { EgressOptions } from '../net/egress.js';
import { PushDispatcher } from './push-dispatcher.js';
import { PushSender, type PushLog } from './push-sender.js';
import { PushTransport } from './push-transport.js';
import type { RecipientDecider } from './recipient-decider.js';
import { VapidTokens, type VapidKeys } from './vapid.js';

/** The settings the engine runs on: plain values, so they cross to the push thread as they are. */
export interface PushEngineSettings {
  egress: EgressOptions;
  concurrency: number;
  perOrigin: number;
  timeoutMs: number;
  ttlSeconds: number;
  collapseMs: number;
  pollMs: number;
}

export interface PushEngineDeps {
  settings: PushEngineSettings;
  queue: PushQueueRepository;
  keys: VapidKeys;
  decide: RecipientDecider;
  log: PushLog;
  countOutcome?(kind: DeliveryOutcome['kind']): void;
}

export interface PushEngine {
  /** A message was stored: expand it soon (one round takes a burst). */
  wakeSoon(): void;
  stop(): Promise<void>;
}

export function startPushEngine(deps: PushEngineDeps): PushEngine {
  const { settings } = deps;
  const transport = new PushTransport(settings.egress);
  const tokens = new VapidTokens(deps.keys);
  const sender = new PushSender({
    queue: deps.queue,
    send: (input, signal) => transport.send(input, signal),
    authorization: (origin) => tokens.authorization(origin),
    log: deps.log,
    ...(deps.countOutcome ? { countOutcome: deps.countOutcome } : {}),
    concurrency: settings.concurrency,
    perOrigin: settings.perOrigin,
    timeoutMs: settings.timeoutMs,
    ttlSeconds: settings.ttlSeconds,
    collapseMs: settings.collapseMs,
  });
  const dispatcher = new PushDispatcher({ queue: deps.queue, decide: deps.decide, onExpanded: () => sender.kick(), log: deps.log });
  const poll = setInterval(() => {
    dispatcher.wake();
    sender.kick();
  }, settings.pollMs);
  poll.unref();
  // Work left by a previous run or by other processes.
  dispatcher.wake();
  sender.kick();
  return {
    wakeSoon: () => dispatcher.wakeSoon(),
    stop: async () => {
      clearInterval(poll);
      await dispatcher.stop();
      await sender.stop();
      transport.close();
    },
  };
}
