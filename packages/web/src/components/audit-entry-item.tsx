/**
 * One audit log entry: what was done (the action), when, by whom (the server itself when no
 * admin), to what, and each field before and after ("role: member → admin"). People and
 * conversations are named as admin-refs.tsx names them.
 */
import type { AuditEntry } from '@pneumatic/client';
import { auditActionLabel, auditChanges, auditFieldLabel, auditNamesUser, auditValueText, type AuditChange } from '../lib/audit-text.js';
import type { ChatStore } from '../lib/chat-store.js';
import { ConversationRef, UserRef } from './admin-refs.js';

const WHEN: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'medium' };
const when = (iso: string) => new Date(iso).toLocaleString(undefined, WHEN);

export function AuditEntryItem({ store, entry }: { store: ChatStore; entry: AuditEntry }) {
  const changes = auditChanges(entry);
  return (
    <li class="audit__entry" data-action={entry.action}>
      <div class="audit__head">
        <span class="audit__action">{auditActionLabel(entry.action)}</span>
        <time class="muted" dateTime={entry.at}>
          {when(entry.at)}
        </time>
      </div>
      <p class="audit__line">
        By {entry.actor_id ? <UserRef store={store} id={entry.actor_id} /> : 'the server'} · <Target store={store} entry={entry} />
      </p>
      {changes.length > 0 ? (
        <ul class="audit__changes" aria-label="Changes">
          {changes.map((change) => (
            <li key={change.field}>
              {auditFieldLabel(change.field)}: <Value store={store} change={change} side="before" /> → <Value store={store} change={change} side="after" />
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function Target({ store, entry }: { store: ChatStore; entry: AuditEntry }) {
  const where = entry.conversation_id ? (
    <>
      {' '}
      in <ConversationRef store={store} id={entry.conversation_id} />
    </>
  ) : null;
  if (entry.target_type === 'user') {
    return (
      <>
        <UserRef store={store} id={entry.target_id} />
        {where}
      </>
    );
  }
  // A server-wide setting (retention): its target is the server itself, not an id to read.
  if (entry.target_type === 'server') return <>the server</>;
  return (
    <>
      {entry.target_type} <span class="admin__ref">{entry.target_id}</span>
      {where}
    </>
  );
}

/** A field's value on one side: a person for a field that names one, else words. */
function Value({ store, change, side }: { store: ChatStore; change: AuditChange; side: 'before' | 'after' }) {
  const value = change[side];
  if (auditNamesUser(change.field) && typeof value === 'string') return <UserRef store={store} id={value} />;
  return <span class="audit__value">{auditValueText(change.field, value, when)}</span>;
}
