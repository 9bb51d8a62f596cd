/**
 * The form for a new outgoing webhook: the URL, what it covers (a conversation you own, or every
 * conversation of a bot you own), the event types (message.created to start with) and an
 * optional description.
 */
import { ConversationEventTypes, type WebhookEventType, type WebhookInput } from '@pneumatic/client';
import { useState } from 'preact/hooks';
import { errorText } from '../lib/errors.js';
import { FormError } from './form-error.js';

/** One thing a webhook can cover, as the form offers it. */
export interface WebhookTarget {
  kind: 'conversation' | 'bot';
  id: string;
  label: string;
}

const keyOf = (target: WebhookTarget) => `${target.kind}:${target.id}`;

interface NewWebhookFormProps {
  targets: readonly WebhookTarget[];
  onCreate: (input: WebhookInput) => Promise<void>;
  /** Called when the target list gets focus, to pick up a conversation or bot made since. */
  onTargetsFocus: () => void;
}

export function NewWebhookForm({ targets, onCreate, onTargetsFocus }: NewWebhookFormProps) {
  const [url, setUrl] = useState('');
  const [targetKey, setTargetKey] = useState('');
  const [eventTypes, setEventTypes] = useState<WebhookEventType[]>(['message.created']);
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The first target stands until one is picked, and when the picked one goes away.
  const target = targets.find((t) => keyOf(t) === targetKey) ?? targets[0];

  const submit = (event: Event) => {
    event.preventDefault();
    const problem = url.trim() === '' ? 'Give the URL to send events to.' : !target ? 'Pick a conversation or bot.' : eventTypes.length === 0 ? 'Pick at least one event.' : null;
    if (problem || !target) return setError(problem);
    setBusy(true);
    setError(null);
    const input: WebhookInput = {
      url: url.trim(),
      event_types: eventTypes,
      ...(target.kind === 'conversation' ? { conversation_id: target.id } : { bot_id: target.id }),
      ...(description.trim() === '' ? {} : { description: description.trim() }),
    };
    onCreate(input)
      .then(() => {
        setUrl('');
        setDescription('');
      }, (e: unknown) => setError(errorText(e)))
      .finally(() => setBusy(false));
  };
  // Checked types stay in the change feed's order, as the server lists them.
  const toggle = (type: WebhookEventType, on: boolean) =>
    setEventTypes((current) => (on ? ConversationEventTypes.filter((t) => t === type || current.includes(t)) : current.filter((t) => t !== type)));
  const conversations = targets.filter((t) => t.kind === 'conversation');
  const bots = targets.filter((t) => t.kind === 'bot');

  return (
    <form class="webhooks__form" onSubmit={submit} aria-label="New webhook" noValidate>
      <div class="field">
        <label for="new-webhook-url">Payload URL</label>
        <input id="new-webhook-url" type="url" inputMode="url" autocapitalize="none" spellcheck={false} placeholder="https://example.com/hooks/chat" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="new-webhook-target">Events of</label>
        <select id="new-webhook-target" value={target ? keyOf(target) : ''} disabled={targets.length === 0} onFocus={onTargetsFocus} onChange={(e) => setTargetKey(e.currentTarget.value)}>
          {targets.length === 0 ? <option value="">You own no conversations or bots yet</option> : null}
          {conversations.length > 0 ? (
            <optgroup label="A conversation you own">
              {conversations.map((t) => (
                <option key={keyOf(t)} value={keyOf(t)}>
                  {t.label}
                </option>
              ))}
            </optgroup>
          ) : null}
          {bots.length > 0 ? (
            <optgroup label="Every conversation of your bot">
              {bots.map((t) => (
                <option key={keyOf(t)} value={keyOf(t)}>
                  {t.label}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </div>
      <fieldset class="settings__fieldset">
        <legend>Events to send</legend>
        <div class="webhooks__events">
          {ConversationEventTypes.map((type) => (
            <label key={type} class="settings__option">
              <input type="checkbox" checked={eventTypes.includes(type)} onChange={(e) => toggle(type, e.currentTarget.checked)} />
              <code>{type}</code>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="field">
        <label for="new-webhook-description">Description (optional)</label>
        <input id="new-webhook-description" type="text" value={description} onInput={(e) => setDescription(e.currentTarget.value)} placeholder="e.g. CI notifier" />
      </div>
      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create webhook'}
        </button>
      </div>
      <FormError error={error} />
    </form>
  );
}
