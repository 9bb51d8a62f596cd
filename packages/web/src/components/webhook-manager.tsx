/**
 * Settings → Webhooks (docs/API.md, "Outgoing webhooks"): your outgoing webhooks, a form for a
 * new one, and its signing secret shown once after creation with a copy button. A webhook covers
 * a conversation you own or administer (owner or admin) or every conversation of a bot you own.
 */
import type { Bot, CreatedWebhook, Webhook, WebhookInput } from '@pneumatic/client';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { conversationName } from '../lib/format.js';
import { isManager } from '../lib/member-actions.js';
import { useAtom } from '../lib/use-atom.js';
import { FormError } from './form-error.js';
import { SecretOnce } from './secret-once.js';
import { NewWebhookForm, type WebhookTarget } from './webhook-form.js';
import { WebhookItem } from './webhook-item.js';

export function WebhooksSettings({ store }: { store: ChatStore }) {
  const [webhooks, setWebhooks] = useState<Webhook[] | null>(null);
  const [bots, setBots] = useState<Bot[]>([]);
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const [error, setError] = useState<string | null>(null);
  const conversations = useAtom(store.conversations.list);
  const reload = () => store.client.listWebhooks().then(setWebhooks, (e: unknown) => setError(errorText(e)));
  const reloadBots = () => store.client.listBots().then(setBots, (e: unknown) => setError(errorText(e)));
  useEffect(() => {
    void reload();
    void reloadBots();
  }, [store]);

  const targets = useMemo<WebhookTarget[]>(() => {
    const owned = conversations.filter(({ conversation }) => isManager(conversation.members.find((m) => m.user_id === store.me.id)?.role));
    return [
      ...owned.map(({ conversation }) => ({ kind: 'conversation' as const, id: conversation.id, label: conversationName(conversation, store.me) })),
      ...bots.map((bot) => ({ kind: 'bot' as const, id: bot.user.id, label: bot.user.username })),
    ];
  }, [conversations, bots, store]);

  const subjectOf = (webhook: Webhook): string => {
    if (webhook.bot_id !== null) {
      const bot = bots.find((b) => b.user.id === webhook.bot_id);
      return bot ? `Every conversation of bot ${bot.user.username}` : 'Every conversation of a bot of yours';
    }
    const entry = conversations.find(({ conversation }) => conversation.id === webhook.conversation_id);
    return entry ? `Conversation “${conversationName(entry.conversation, store.me)}”` : 'A conversation you are no longer in';
  };
  const create = (input: WebhookInput) =>
    store.client.createWebhook(input).then((result) => {
      setCreated(result);
      setWebhooks((list) => [...(list ?? []), result.webhook]);
    });
  const replace = (updated: Webhook) => setWebhooks((list) => list?.map((w) => (w.id === updated.id ? updated : w)) ?? null);
  const drop = (id: string) => setWebhooks((list) => list?.filter((w) => w.id !== id) ?? null);

  return (
    <section class="settings__section" aria-labelledby="webhooks-heading">
      <h3 id="webhooks-heading">Webhooks</h3>
      <p class="muted">A webhook sends each event you pick to a URL of yours as it happens, signed with a secret so your receiver can tell it came from here.</p>
      {webhooks === null ? (
        <p class="muted">Loading webhooks…</p>
      ) : webhooks.length === 0 ? (
        <p class="muted">You have no webhooks.</p>
      ) : (
        <ul class="webhooks__list" aria-label="Your webhooks">
          {webhooks.map((webhook) => (
            <WebhookItem key={webhook.id} client={store.client} webhook={webhook} subject={subjectOf(webhook)} onChange={replace} onDelete={() => drop(webhook.id)} />
          ))}
        </ul>
      )}
      {created ? (
        <SecretOnce secret={created.secret} onDone={() => setCreated(null)}>
          Copy the signing secret of the webhook to <strong>{created.webhook.url}</strong> now: it will not be shown again. Your receiver checks each delivery's signature with it.
        </SecretOnce>
      ) : null}
      <NewWebhookForm targets={targets} onCreate={create} onTargetsFocus={() => void reloadBots()} />
      <FormError error={error} />
    </section>
  );
}
