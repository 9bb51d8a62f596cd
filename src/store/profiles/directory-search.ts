/**
 * The directory query (docs/API.md, "Finding people"; domain/profiles/search-terms.ts).
 *
 * Order is the index's own: by matching term, then username_key, each user at their first
 * term that starts with the prefix (a user found as "maria" and as "maria.lopez" is listed once,
 * under "maria"). A page is then a range scan of the primary key (term, username_key) from the
 * prefix or the cursor, skipping a user's later terms with a probe of (user_id, term): its cost
 * is the page's length times the few terms a user has, whether 3 or 30,000 users match, and
 * whichever page. Ordering by username alone would need every match sorted for every page
 * (seen: 300 ms for "sven" at 100,000 users, whose matches sit late in username order).
 *
 * Under DIRECTORY_VISIBILITY=shared the scan also keeps only people sharing a conversation with
 * the searcher; when those are few (most people), it starts from them instead, so a sparse
 * match does not walk the whole range.
 */
import { sql, type Kysely } from 'kysely';
import type { DirectoryPage, DirectorySearch } from '../../domain/ports/profile-repository.js';
import { prefixUpperBound } from '../../domain/profiles/search-terms.js';
import { toUser } from '../rows.js';
import type { Database } from '../schema.js';

/** Up to this many people sharing a conversation with the searcher, the page starts from them. */
const PARTNERS_FIRST_MAX = 1000;

const SELECT = ['t.term', 't.username_key', 'u.id', 'u.username', 'u.created_at', 'u.is_bot', 'u.display_name', 'u.status_text', 'u.avatar_key'] as const;

export async function searchDirectory(db: Kysely<Database>, query: DirectorySearch): Promise<DirectoryPage> {
  const partners = query.shared_with === null ? null : await partnersOf(db, query.shared_with);
  const upper = prefixUpperBound(query.prefix);
  let select = db
    .selectFrom('user_search_terms as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(SELECT)
    .where('t.term', '>=', query.prefix)
    .where('t.term', '<', upper)
    // The user's first matching term only.
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('user_search_terms as first').select(sql<number>`1`.as('one')).whereRef('first.user_id', '=', 't.user_id').where('first.term', '>=', query.prefix).whereRef('first.term', '<', 't.term'))),
    );
  const position = query.after;
  if (position !== null) {
    // Strictly after the cursor in (term, username_key) order: a row value, which both databases
    // turn into an index start (an OR of the two cases made PostgreSQL scan from the prefix).
    select = select.where(sql<boolean>`(t.term, t.username_key) > (${position.term}, ${position.username_key})`);
  }
  if (partners !== null) {
    select = select.where('t.user_id', 'in', partners);
  } else if (query.shared_with !== null) {
    const me = query.shared_with;
    select = select.where(({ or, eb, exists, selectFrom }) =>
      or([
        eb('t.user_id', '=', me),
        exists(
          selectFrom('members as theirs')
            .innerJoin('members as mine', 'mine.conversation_id', 'theirs.conversation_id')
            .select(sql<number>`1`.as('one'))
            .whereRef('theirs.user_id', '=', 't.user_id')
            .where('mine.user_id', '=', me),
        ),
      ]),
    );
  }
  const rows = await select.orderBy('t.term').orderBy('t.username_key').limit(query.limit + 1).execute();
  const kept = rows.slice(0, query.limit);
  const last = kept[kept.length - 1];
  return { users: kept.map(toUser), last: rows.length > query.limit && last ? { term: last.term, username_key: last.username_key } : null };
}

/** The searcher and everyone sharing a conversation with them, or null when they are more than PARTNERS_FIRST_MAX. */
async function partnersOf(db: Kysely<Database>, me: string): Promise<string[] | null> {
  const rows = await db
    .selectFrom('members as mine')
    .innerJoin('members as theirs', 'theirs.conversation_id', 'mine.conversation_id')
    .select('theirs.user_id')
    .distinct()
    .where('mine.user_id', '=', me)
    .limit(PARTNERS_FIRST_MAX + 1)
    .execute();
  if (rows.length > PARTNERS_FIRST_MAX) return null;
  return [...new Set([me, ...rows.map((r) => r.user_id)])];
}
