/**
 * Administration → Retention (docs/API.md, "Retention"): the server-wide period after which
 * messages are deleted, with their attachments, reactions and search entries, in every
 * conversation (`GET` / `PUT /admin/retention`), or none: messages are kept forever. A
 * conversation's owners may set a period of its own; the shorter of the two applies. Each change
 * is in the audit log.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { retentionPolicyText } from '../lib/retention-text.js';
import { FormError } from './form-error.js';
import { RetentionForm } from './retention-form.js';

export function AdminRetention({ store }: { store: ChatStore }) {
  /** undefined while it is read. */
  const [days, setDays] = useState<number | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    store.client.getRetention().then(
      (settings) => current && setDays(settings.message_retention_days),
      (e: unknown) => {
        store.role.refused(e);
        if (current) setError(errorText(e));
      },
    );
    return () => {
      current = false;
    };
  }, [store]);

  const save = async (next: number | null): Promise<string> => {
    const saved = await store.client.setRetention(next).catch((e: unknown) => {
      store.role.refused(e);
      throw e;
    });
    setDays(saved.message_retention_days);
    return `Saved. ${retentionPolicyText(saved.message_retention_days)}`;
  };

  return (
    <section class="settings__section admin__section" aria-labelledby="admin-retention-heading">
      <h3 id="admin-retention-heading">Retention</h3>
      <p class="muted">
        Messages older than the period are deleted for good in every conversation, with their files, reactions and search entries, by a background job. A conversation’s owners may set a period of its
        own for it: the shorter one applies. Leave it at “Keep messages forever” to delete nothing.
      </p>
      {days === undefined && !error ? <p class="muted">Loading…</p> : null}
      {days !== undefined ? (
        <>
          <p class="retention__now">
            <strong>Now:</strong> {retentionPolicyText(days)}
          </p>
          <RetentionForm id="server-retention" legend="Server-wide retention" noneLabel="Keep messages forever" where="in every conversation" days={days} onSave={save} />
        </>
      ) : null}
      <FormError error={error} />
    </section>
  );
}
