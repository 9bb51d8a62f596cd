/**
 * A conversation's retention in its people panel (docs/API.md, "Retention"): every member reads
 * the policy it is under in words; owners set a period of its own (`PUT
 * /conversations/{id}/retention`) or let it follow the server's; the shorter of the two applies.
 * Only admins may read the server's period, so only their words take it into account. The form
 * loads when an owner first opens the panel (lazy-component.tsx): most members never need it.
 */
import type { Conversation } from '@pneumatic/client';
import { useEffect, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { lazyComponent } from '../lib/lazy-component.js';
import { conversationPolicyText } from '../lib/retention-text.js';
import { useAtom } from '../lib/use-atom.js';

const RetentionForm = lazyComponent(() => import('./retention-form.js').then((module) => module.RetentionForm));

export function ConversationRetention({ store, conversation }: { store: ChatStore; conversation: Conversation }) {
  const own = conversation.retention_days;
  const isOwner = conversation.members.find((m) => m.user_id === store.me.id)?.role === 'owner';
  const serverDays = useServerRetention(store);

  const save = async (days: number | null): Promise<string> => {
    await store.members.setRetention(conversation.id, days);
    return 'Saved.';
  };

  return (
    <section class="members__retention" aria-labelledby="retention-heading">
      <h4 id="retention-heading">Message history</h4>
      <p class="retention__policy">{conversationPolicyText(own, serverDays)}</p>
      {isOwner ? (
        <RetentionForm
          id="conversation-retention"
          legend="This conversation’s retention"
          noneLabel="Follow the server’s policy"
          where="in this conversation"
          days={own ?? null}
          onSave={save}
        />
      ) : null}
    </section>
  );
}

/** The server's period for an admin (undefined meanwhile, and for everyone else). */
function useServerRetention(store: ChatStore): number | null | undefined {
  const role = useAtom(store.role.view);
  const [days, setDays] = useState<number | null | undefined>(undefined);
  useEffect(() => {
    if (role !== 'admin') return setDays(undefined);
    let current = true;
    store.client.getRetention().then(
      (settings) => current && setDays(settings.message_retention_days),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [store, role]);
  return days;
}
