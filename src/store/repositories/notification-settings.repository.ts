/**
 * Notification settings on Kysely, both dialects (migration 0013). A change moves the user's
 * user_seq first: that write locks the user's row until commit (SQLite: the database's write
 * lock, taken before anything is read, so no read turns stale under a writer on another
 * connection), so one user's changes run one after another and each compares against what the
 * previous one committed. One that then finds nothing to change rolls back, returning the
 * user_seq: no gap, no frame.
 *
 * An override needs membership, read after that lock. A removal (conversation.repository.ts)
 * moves the same user_seq before it deletes the override, so it waits for a change under way
 * and then deletes what it wrote, or the change waits for the removal and finds no membership.
 */
import type { Kysely, Transaction } from 'kysely';
import { BUILT_IN_NOTIFICATION_DEFAULTS, type ConversationNotificationSettings, type NotificationDefaults, type NotificationSettings } from '@pneumatic/protocol';
import type { EffectiveNotificationSettings } from '../../domain/notification.policy.js';
import type { NotificationSettingsChange, NotificationSettingsRepository } from '../../domain/ports/repositories.js';
import { bumpUserSeqs, NothingChanged } from '../change-feed/event-log.js';
import type { Dialect } from '../dialect.js';
import { toIsoOrNull } from '../rows.js';
import type { Database } from '../schema.js';

type Tx = Transaction<Database> | Kysely<Database>;

/** Users per statement of `effectiveFor`: a conversation's recipients in one read (SQLite binds at most 32,766 values). */
const EFFECTIVE_CHUNK = 1000;

/** The change's user is not a member of the conversation (any more). */
class NotAMember extends Error {}

interface DefaultsRow {
  default_level: NotificationDefaults['level'] | null;
  mention_breaks_mute: number | boolean | null;
  previews: number | boolean | null;
}

/** A user's row of notification_defaults (null columns: none, the built-in defaults). */
function toDefaults(row: DefaultsRow | undefined): NotificationDefaults {
  if (!row || row.default_level === null) return { ...BUILT_IN_NOTIFICATION_DEFAULTS };
  return { level: row.default_level, mention_breaks_mute: Number(row.mention_breaks_mute) === 1, previews: Number(row.previews) === 1 };
}

const flag = (value: boolean) => (value ? 1 : 0);

export class KyselyNotificationSettingsRepository implements NotificationSettingsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** One statement, so the defaults and the overrides are of one moment. */
  async settingsOf(userId: string): Promise<NotificationSettings> {
    const rows = await this.db
      .selectFrom('users as u')
      .leftJoin('notification_defaults as d', 'd.user_id', 'u.id')
      .leftJoin('conversation_notifications as o', 'o.user_id', 'u.id')
      .select(['d.level as default_level', 'd.mention_breaks_mute', 'd.previews', 'o.conversation_id', 'o.level', 'o.muted_until'])
      .where('u.id', '=', userId)
      .execute();
    const conversations: ConversationNotificationSettings[] = [];
    for (const row of rows) {
      if (row.conversation_id !== null) conversations.push({ conversation_id: row.conversation_id, level: row.level, muted_until: toIsoOrNull(row.muted_until) });
    }
    return { defaults: toDefaults(rows[0]), conversations };
  }

  async conversationOf(userId: string, conversationId: string): Promise<ConversationNotificationSettings> {
    return overrideOf(this.db, userId, conversationId);
  }

  async updateDefaults(userId: string, patch: Partial<NotificationDefaults>): Promise<NotificationSettingsChange<NotificationDefaults>> {
    const changed = await this.change(userId, async (trx) => {
      const current = await defaultsOf(trx, userId);
      const next: NotificationDefaults = {
        level: patch.level ?? current.level,
        mention_breaks_mute: patch.mention_breaks_mute ?? current.mention_breaks_mute,
        previews: patch.previews ?? current.previews,
      };
      if (next.level === current.level && next.mention_breaks_mute === current.mention_breaks_mute && next.previews === current.previews) throw new NothingChanged();
      const values = { level: next.level, mention_breaks_mute: flag(next.mention_breaks_mute), previews: flag(next.previews) };
      await trx
        .insertInto('notification_defaults')
        .values({ user_id: userId, ...values })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
        .execute();
      return next;
    });
    return changed ?? { settings: await defaultsOf(this.db, userId), user_seq: null };
  }

  async setConversation(userId: string, settings: ConversationNotificationSettings): Promise<NotificationSettingsChange<ConversationNotificationSettings> | null> {
    const { conversation_id, level, muted_until } = settings;
    try {
      const changed = await this.change(userId, async (trx) => {
        const member = await trx.selectFrom('members').select('user_id').where('conversation_id', '=', conversation_id).where('user_id', '=', userId).executeTakeFirst();
        if (!member) throw new NotAMember();
        const current = await overrideOf(trx, userId, conversation_id);
        if (current.level === level && current.muted_until === muted_until) throw new NothingChanged();
        if (level === null && muted_until === null) {
          await trx.deleteFrom('conversation_notifications').where('conversation_id', '=', conversation_id).where('user_id', '=', userId).execute();
        } else {
          await trx
            .insertInto('conversation_notifications')
            .values({ conversation_id, user_id: userId, level, muted_until })
            .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doUpdateSet({ level, muted_until }))
            .execute();
        }
        return { conversation_id, level, muted_until };
      });
      return changed ?? { settings: await overrideOf(this.db, userId, conversation_id), user_seq: null };
    } catch (error) {
      if (error instanceof NotAMember) return null;
      throw error;
    }
  }

  async effectiveFor(conversationId: string, userIds: readonly string[]): Promise<Map<string, EffectiveNotificationSettings>> {
    const effective = new Map<string, EffectiveNotificationSettings>();
    const ids = [...new Set(userIds)];
    for (let i = 0; i < ids.length; i += EFFECTIVE_CHUNK) {
      const rows = await this.db
        .selectFrom('users as u')
        .leftJoin('notification_defaults as d', 'd.user_id', 'u.id')
        .leftJoin('conversation_notifications as o', (join) => join.onRef('o.user_id', '=', 'u.id').on('o.conversation_id', '=', conversationId))
        .select(['u.id', 'd.level as default_level', 'd.mention_breaks_mute', 'd.previews', 'o.level', 'o.muted_until'])
        .where('u.id', 'in', ids.slice(i, i + EFFECTIVE_CHUNK))
        .execute();
      for (const row of rows) {
        const defaults = toDefaults(row);
        effective.set(row.id, { ...defaults, level: row.level ?? defaults.level, muted_until: toIsoOrNull(row.muted_until) });
      }
    }
    // Ids of no user have the built-in defaults, as a user who never changed them.
    for (const id of ids) if (!effective.has(id)) effective.set(id, { ...BUILT_IN_NOTIFICATION_DEFAULTS, muted_until: null });
    return effective;
  }

  /**
   * Runs `apply` after moving the user's user_seq, in one transaction; null (rolled back, the
   * user_seq returned) when it threw NothingChanged.
   */
  private async change<T>(userId: string, apply: (trx: Transaction<Database>) => Promise<T>): Promise<NotificationSettingsChange<T> | null> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const userSeq = (await bumpUserSeqs(trx, [userId], this.dialect))[userId];
        if (userSeq === undefined) throw new Error(`no user ${userId}`);
        return { settings: await apply(trx), user_seq: userSeq };
      });
    } catch (error) {
      if (error instanceof NothingChanged) return null;
      throw error;
    }
  }
}

async function defaultsOf(db: Tx, userId: string): Promise<NotificationDefaults> {
  const row = await db
    .selectFrom('notification_defaults')
    .select(['level as default_level', 'mention_breaks_mute', 'previews'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return toDefaults(row);
}

async function overrideOf(db: Tx, userId: string, conversationId: string): Promise<ConversationNotificationSettings> {
  const row = await db
    .selectFrom('conversation_notifications')
    .select(['level', 'muted_until'])
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return { conversation_id: conversationId, level: row?.level ?? null, muted_until: toIsoOrNull(row?.muted_until ?? null) };
}
