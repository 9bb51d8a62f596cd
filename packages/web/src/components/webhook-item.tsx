/**
 * One outgoing webhook in Settings: its URL, what it covers, its event types and whether it
 * works, with Enable/Disable, Rotate secret (the new one shown once), its delivery log, and
 * Delete after a confirmation.
 */
import type { PneumaticClient, Webhook } from '@pneumatic/client';
import { useState } from 'preact/hooks';
import { errorText } from '../lib/errors.js';
import { webhookStatus } from '../lib/webhook-text.js';
import { ConfirmButton } from './confirm-button.js';
import { FormError } from './form-error.js';
import { SecretOnce } from './secret-once.js';
import { WebhookDeliveries } from './webhook-deliveries.js';

interface WebhookItemProps {
  client: PneumaticClient;
  webhook: Webhook;
  /** What it covers, in words: `Conversation “Launch”`, `Every conversation of bot helper`. */
  subject: string;
  onChange: (webhook: Webhook) => void;
  onDelete: () => void;
}

export function WebhookItem({ client, webhook, subject, onChange, onDelete }: WebhookItemProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [showLog, setShowLog] = useState(false);
  // Names the webhook in its buttons' labels, which repeat once per webhook.
  const name = webhook.description || webhook.url;
  const status = webhookStatus(webhook);
  const logId = `webhook-${webhook.id}-deliveries`;

  const act = <T,>(work: () => Promise<T>, done: (result: T) => void) => {
    setBusy(true);
    setError(null);
    return work()
      .then(done, (e: unknown) => setError(errorText(e)))
      .finally(() => setBusy(false));
  };
  const toggleEnabled = () => act(() => client.updateWebhook(webhook.id, { enabled: !webhook.enabled }), onChange);
  const rotate = () =>
    act(
      () => client.rotateWebhookSecret(webhook.id),
      (created) => {
        setSecret(created.secret);
        onChange(created.webhook);
      },
    );
  const remove = () => act(() => client.deleteWebhook(webhook.id), onDelete);

  return (
    <li class="webhooks__item">
      <span class="webhooks__url">{webhook.url}</span>
      {webhook.description ? <span>{webhook.description}</span> : null}
      <span class="tokens__meta muted">
        {subject} · {webhook.event_types.join(', ')}
      </span>
      <span class={`webhooks__status webhooks__status--${status.tone}`}>{status.text}</span>
      <div class="form__actions webhooks__actions">
        <button type="button" class="button button--small" disabled={busy} aria-label={`${webhook.enabled ? 'Disable' : 'Enable'} ${name}`} onClick={toggleEnabled}>
          {webhook.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" class="button button--small" disabled={busy} aria-label={`Rotate secret of ${name}`} onClick={rotate}>
          Rotate secret
        </button>
        <button type="button" class="button button--small button--ghost" aria-expanded={showLog} aria-controls={showLog ? logId : undefined} aria-label={`Deliveries of ${name}`} onClick={() => setShowLog(!showLog)}>
          Deliveries
        </button>
        <ConfirmButton label="Delete" ariaLabel={`Delete ${name}`} disabled={busy} groupLabel={`Confirm deleting ${name}`} yes="Yes, delete" busy="Deleting…" onConfirm={remove}>
          Delete this webhook? Events stop going to it, and its delivery log is deleted with it.
        </ConfirmButton>
      </div>
      {secret ? (
        <SecretOnce secret={secret} onDone={() => setSecret(null)}>
          Copy the new signing secret now: it will not be shown again. Deliveries are signed with the old one as well for a while, so your receiver can switch over.
        </SecretOnce>
      ) : null}
      {showLog ? <WebhookDeliveries client={client} webhookId={webhook.id} id={logId} /> : null}
      <FormError error={error} />
    </li>
  );
}
