/**
 * Versioned, forward-only migrations, applied in name order and recorded in
 * `kysely_migration`. Add a file, never edit a shipped one: nothing may drop user data.
 */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../dialect.js';
import * as initial from './0001-initial.js';
import * as changeFeed from './0002-change-feed.js';
import * as listOrder from './0003-list-order.js';
import * as dropMembersUserId from './0004-drop-members-user-id.js';
import * as reactions from './0005-reactions.js';
import * as pins from './0006-pins.js';
import * as mentions from './0007-mentions.js';
import * as threads from './0008-threads.js';
import * as unreadIndex from './0009-unread-index.js';
import * as search from './0010-search.js';
import * as searchQueue from './0011-search-queue.js';
import * as uploads from './0012-uploads.js';
import * as notificationSettings from './0013-notification-settings.js';
import * as presence from './0014-presence.js';
import * as push from './0015-push.js';
import * as apiTokens from './0016-api-tokens.js';
import * as bots from './0017-bots.js';
import * as incomingWebhooks from './0018-incoming-webhooks.js';
import * as outgoingWebhooks from './0019-outgoing-webhooks.js';
import * as profiles from './0020-profiles.js';
import * as invites from './0021-invites.js';
import * as sso from './0022-sso.js';
import * as administration from './0023-administration.js';
import * as conversationRolesAndBlocks from './0024-conversation-roles-and-blocks.js';
import * as reports from './0025-reports.js';
import * as retention from './0026-retention.js';
import * as messageRemovals from './0027-message-removals.js';
import { columnTypes, type ColumnTypes } from './column-types.js';

type MigrationModule = { up(db: Kysely<unknown>, types: ColumnTypes, dialect: Dialect): Promise<void> };

const MIGRATIONS: Record<string, MigrationModule> = {
  '0001-initial': initial,
  '0002-change-feed': changeFeed,
  '0003-list-order': listOrder,
  '0004-drop-members-user-id': dropMembersUserId,
  '0005-reactions': reactions,
  '0006-pins': pins,
  '0007-mentions': mentions,
  '0008-threads': threads,
  '0009-unread-index': unreadIndex,
  '0010-search': search,
  '0011-search-queue': searchQueue,
  '0012-uploads': uploads,
  '0013-notification-settings': notificationSettings,
  '0014-presence': presence,
  '0015-push': push,
  '0016-api-tokens': apiTokens,
  '0017-bots': bots,
  '0018-incoming-webhooks': incomingWebhooks,
  '0019-outgoing-webhooks': outgoingWebhooks,
  '0020-profiles': profiles,
  '0021-invites': invites,
  '0022-sso': sso,
  '0023-administration': administration,
  '0024-conversation-roles-and-blocks': conversationRolesAndBlocks,
  '0025-reports': reports,
  '0026-retention': retention,
  '0027-message-removals': messageRemovals,
};

export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  const types = columnTypes(dialect);
  return Object.fromEntries(
    Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, types, dialect) }]),
  );
}
