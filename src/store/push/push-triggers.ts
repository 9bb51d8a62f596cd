/**
 * The triggers of migration 0015 (docs/architecture.md, "The push queue").
 *
 * `messages` → `push_outbox`: every inserted message whose conversation has another member with
 * a push subscription is queued in the insert's own transaction. The test is one probe of the
 * partial index `members_push_subscribed`, so a send where nobody else subscribed writes nothing
 * more. The triggers call no function of the server's: any writer of `messages` (the SQLite
 * writer thread, PostgreSQL's group commit, a tool on its own connection) queues the same way.
 *
 * `members.push_subscribed` follows `push_subscriptions`: set on a user's member rows when their
 * first subscription arrives, cleared when their last one goes, and set on a new member row of a
 * user who has one.
 */

/** "Another member of the message's conversation has a subscription", for a message row `n`. */
const someoneElseSubscribed = (n: string) =>
  `exists (select 1 from members m where m.conversation_id = ${n}.conversation_id and m.push_subscribed = 1 and m.user_id <> ${n}.sender_id)`;

const subscribeMembers = (user: string) => `update members set push_subscribed = 1 where user_id = ${user} and push_subscribed = 0`;
const unsubscribeMembers = (user: string) =>
  `update members set push_subscribed = 0 where user_id = ${user} and push_subscribed = 1 and not exists (select 1 from push_subscriptions s where s.user_id = ${user})`;

export function sqlitePushTriggersSql(): string[] {
  return [
    `create trigger messages_push_outbox after insert on messages when ${someoneElseSubscribed('new')} begin\n` +
      '  insert into push_outbox (message_id) values (new.message_id);\nend',
    `create trigger push_subscriptions_added after insert on push_subscriptions begin\n  ${subscribeMembers('new.user_id')};\nend`,
    `create trigger push_subscriptions_removed after delete on push_subscriptions begin\n  ${unsubscribeMembers('old.user_id')};\nend`,
    'create trigger push_subscriptions_moved after update of user_id on push_subscriptions when old.user_id is not new.user_id begin\n' +
      `  ${subscribeMembers('new.user_id')};\n  ${unsubscribeMembers('old.user_id')};\nend`,
    'create trigger members_push_subscribed after insert on members when exists (select 1 from push_subscriptions s where s.user_id = new.user_id) begin\n' +
      '  update members set push_subscribed = 1 where conversation_id = new.conversation_id and user_id = new.user_id;\nend',
  ];
}

/**
 * PostgreSQL: statement-level triggers over transition tables where a statement inserts many rows
 * (a group-commit batch of messages, a conversation's members): one call per statement, not per
 * row. plpgsql is trusted, so the table owner needs no superuser to create them.
 */
export function postgresPushTriggersSql(): string[] {
  return [
    `create function pneumatic_push_outbox() returns trigger language plpgsql as $$
begin
  insert into push_outbox (message_id)
  select n.message_id from pneumatic_new_messages n where ${someoneElseSubscribed('n')} order by n.conversation_id, n.seq;
  return null;
end $$`,
    `create trigger messages_push_outbox after insert on messages referencing new table as pneumatic_new_messages
  for each statement execute function pneumatic_push_outbox()`,
    `create function pneumatic_push_subscriptions_changed() returns trigger language plpgsql as $$
begin
  if tg_op in ('INSERT', 'UPDATE') then ${subscribeMembers('new.user_id')}; end if;
  if tg_op in ('DELETE', 'UPDATE') then ${unsubscribeMembers('old.user_id')}; end if;
  return null;
end $$`,
    `create trigger push_subscriptions_changed after insert or delete or update of user_id on push_subscriptions
  for each row execute function pneumatic_push_subscriptions_changed()`,
    `create function pneumatic_members_push_subscribed() returns trigger language plpgsql as $$
begin
  update members m set push_subscribed = 1 from pneumatic_new_members n
   where m.conversation_id = n.conversation_id and m.user_id = n.user_id
     and exists (select 1 from push_subscriptions s where s.user_id = n.user_id);
  return null;
end $$`,
    `create trigger members_push_subscribed after insert on members referencing new table as pneumatic_new_members
  for each statement execute function pneumatic_members_push_subscribed()`,
  ];
}
