/**
 * One webhook's delivery log, newest first: when, which event, the outcome, attempts, the last
 * answer and its latency, with Redeliver on each row. Deliveries happen in the background, so
 * the log refreshes itself while it is open.
 */
import type { PneumaticClient, WebhookDelivery } from '@pneumatic/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../lib/errors.js';
import { dateTimeLabel, deliveryResponse, deliveryStatus, logTimeLabel } from '../lib/webhook-text.js';
import { FormError } from './form-error.js';

const PAGE_SIZE = 20;
/** The server's most per page: a refresh reloads every row shown, up to this. */
const MAX_PAGE_SIZE = 200;
const REFRESH_MS = 5_000;

export function WebhookDeliveries({ client, webhookId, id }: { client: PneumaticClient; webhookId: string; id: string }) {
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = useRef(PAGE_SIZE);

  // Reloads the newest rows, as many as are shown (older pages stay loaded).
  const refresh = () =>
    client.listWebhookDeliveries(webhookId, { limit: Math.min(MAX_PAGE_SIZE, Math.max(PAGE_SIZE, shown.current)) }).then((page) => {
      shown.current = page.deliveries.length;
      setDeliveries(page.deliveries);
      setNextBefore(page.next_before);
      setError(null);
    }, (e: unknown) => setError(errorText(e)));
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [client, webhookId]);

  const older = () => {
    if (nextBefore === null) return;
    client.listWebhookDeliveries(webhookId, { limit: PAGE_SIZE, before: nextBefore }).then((page) => {
      const all = [...(deliveries ?? []), ...page.deliveries];
      shown.current = all.length;
      setDeliveries(all);
      setNextBefore(page.next_before);
    }, (e: unknown) => setError(errorText(e)));
  };
  const redeliver = (delivery: WebhookDelivery) => {
    setError(null);
    client.redeliverWebhook(webhookId, delivery.id).then((updated) => setDeliveries((rows) => rows?.map((d) => (d.id === updated.id ? updated : d)) ?? null), (e: unknown) => setError(errorText(e)));
  };

  return (
    <div class="deliveries" id={id}>
      <div class="form__actions">
        <button type="button" class="button button--small" onClick={() => void refresh()}>
          Refresh
        </button>
      </div>
      {deliveries === null ? (
        <p class="muted">Loading deliveries…</p>
      ) : deliveries.length === 0 ? (
        <p class="muted">No deliveries yet: one appears here for each event the webhook sends.</p>
      ) : (
        <div class="deliveries__scroll">
          <table class="deliveries__table" aria-label="Deliveries">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Response</th>
                <th scope="col">
                  <span class="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <DeliveryRow key={d.id} delivery={d} onRedeliver={() => redeliver(d)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore !== null ? (
        <div class="form__actions">
          <button type="button" class="button button--small button--ghost" onClick={older}>
            Older deliveries
          </button>
        </div>
      ) : null}
      <FormError error={error} />
    </div>
  );
}

function DeliveryRow({ delivery, onRedeliver }: { delivery: WebhookDelivery; onRedeliver: () => void }) {
  const when = dateTimeLabel(delivery.created_at);
  return (
    <tr>
      <td>
        <time dateTime={delivery.created_at} title={when}>
          {logTimeLabel(delivery.created_at)}
        </time>
      </td>
      <td>
        <code>{delivery.event_type}</code>
      </td>
      <td class={`deliveries__status deliveries__status--${delivery.status}`}>{deliveryStatus(delivery)}</td>
      <td>{delivery.attempts}</td>
      <td>{deliveryResponse(delivery)}</td>
      <td>
        <button type="button" class="button button--tiny" disabled={delivery.redelivery_requested} aria-label={`Redeliver ${delivery.event_type} of ${when}`} onClick={onRedeliver}>
          Redeliver
        </button>
      </td>
    </tr>
  );
}
