/** Prometheus metrics of one server process, in a registry of its own (tests run several apps). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DomainMetrics } from '../domain/ports/metrics.js';
import { SendQueueStats } from './send-queue-stats.js';

export class ServerMetrics implements DomainMetrics {
  readonly registry = new Registry();
  readonly openConnections = new Gauge({ name: 'pneumatic_ws_connections', help: 'Open WebSocket connections', registers: [this.registry] });
  readonly messagesStored = new Counter({ name: 'pneumatic_messages_stored_total', help: 'Messages stored (idempotent repeats excluded)', registers: [this.registry] });
  readonly storageFailures = this.countByReason(
    'pneumatic_storage_failures_total',
    'Database operations refused because of the storage (disk_full, read_only, too_many_connections...), by reason; lock timeouts excluded',
  );
  /** Connection-level failures a client caused: counted here, logged at debug only, so no client can flood the log. */
  readonly httpClientErrors = this.countByReason(
    'pneumatic_http_client_errors_total',
    'HTTP requests a client broke off or botched: aborted (closed mid-request), timeout (HTTP_REQUEST_TIMEOUT_MS), malformed (refused by the HTTP parser), headers_too_large',
  );
  /** Web Push deliveries settled, by outcome: delivered, retry, dropped (refused or aged out), gone (subscription removed). */
  readonly pushDeliveries = new Counter({ name: 'pneumatic_push_deliveries_total', help: 'Web Push deliveries by outcome', labelNames: ['outcome'], registers: [this.registry] });
  readonly webhookDeliveries = new Counter({ name: 'pneumatic_webhook_deliveries_total', help: 'Outgoing webhook delivery attempts by outcome (delivered, failed)', labelNames: ['outcome'], registers: [this.registry] });
  readonly httpDuration = new Histogram({
    name: 'pneumatic_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  /**
   * httpDuration's labelled children by method, route and status: one per combination the
   * histogram holds anyway, so observing a request allocates no labels object.
   */
  private readonly httpDurationByLabels = new Map<string, { observe(seconds: number): void }>();
  readonly httpConnectionsRefused = new Counter({
    name: 'pneumatic_http_connections_refused_total',
    help: 'HTTP connections answered 429 and closed because their client IP already had HTTP_MAX_CONNECTIONS_PER_IP open',
    registers: [this.registry],
  });
  readonly sendDuration = new Histogram({
    name: 'pneumatic_send_duration_seconds',
    help: 'Time from receiving a send to its answer (commit included)',
    labelNames: ['transport'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  /** Records one HTTP request's latency (route is the route's pattern, or `unmatched`). */
  observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let child = this.httpDurationByLabels.get(key);
    if (child === undefined) {
      child = this.httpDuration.labels({ method, route, status: String(status) });
      this.httpDurationByLabels.set(key, child);
    }
    child.observe(seconds);
  }

  /** Updated by every socket's send; the two metrics below read it when scraped. */
  readonly sendQueues = new SendQueueStats();

  constructor() {
    const sendQueues = this.sendQueues;
    new Gauge({
      name: 'pneumatic_ws_send_queue_peak_bytes',
      help: 'The most bytes any WebSocket had waiting to be sent since the process started (bounded by WS_SEND_QUEUE_BYTES)',
      registers: [this.registry],
      collect() {
        this.set(sendQueues.peakBytes);
      },
    });
    new Counter({
      name: 'pneumatic_ws_slow_consumers_closed_total',
      help: 'WebSockets closed with 4008 because the client stopped reading and its send queue passed WS_SEND_QUEUE_BYTES',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(sendQueues.slowConsumersClosed);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'pneumatic_' });
  }

  /** A counter of this registry with one label, `reason`. */
  private countByReason(name: string, help: string): Counter<'reason'> {
    return new Counter({ name, help, labelNames: ['reason'], registers: [this.registry] });
  }

  messageStored(): void {
    this.messagesStored.inc();
  }

  /**
   * Runs one send and records how long it took to answer, by transport: the one place sends
   * are timed, so HTTP and WebSocket are measured alike. Refused sends are not recorded.
   */
  async timeSend<T>(transport: 'http' | 'ws', send: () => Promise<T>): Promise<T> {
    const stop = this.sendDuration.startTimer({ transport });
    const result = await send();
    stop();
    return result;
  }
}
