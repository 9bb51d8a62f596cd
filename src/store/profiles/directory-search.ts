/**
 * The directory query (docs/API.md, "Finding people"; domain/profiles/search-terms.ts), in the
 * plan that suits how many users match, because no single plan is fast for both ends:
 *
 * - Few matches (at most CANDIDATES_MAX terms in the prefix's range): start from the terms,
 *   then read those users ordered by username. Cost grows with the matches, capped.
 * - Many matches ("ma" at 100,000 users: tens of thousands): walk users in username order after
 *   the cursor and keep those with a matching term, probing the (user_id, term) index; a page
 *   of 20 at a density of a few per cent is a few hundred probes, whatever the page.
 * - Under DIRECTORY_VISIBILITY=shared with many matches: start from the people the searcher
 *   shares a conversation with when they are few (most people), else the walk with that
 *   condition added.
 *
 * Each step is a simple statement whose plan both databases pick the same way, rather than one
 * statement whose plan rests on the planner's estimate (seen: PostgreSQL walking 48,000 users
 * for an 862-match prefix, SQLite sorting 19,000 matches for every page).
 */
import { sql, type Kysely } from 'kysely';
import type { DirectoryPage, DirectorySearch } from '../../domain/ports/profile-repository.js';
import { prefixUpperBound } from '../../domain/profiles/search-terms.js';
import { toUser } from '../rows.js';
import type { Database } from '../schema.js';

/** Above this many candidates, a plan that starts from them is no longer cheap. */
const CANDIDATES_MAX = 1000;

const USER_SELECT = ['u.id', 'u.username', 'u.created_at', 'u.is_bot', 'u.display_name', 'u.status_text', 'u.avatar_key', 'u.username_key'] as const;

export async function searchDirectory(db: Kysely<Database>, query: DirectorySearch): Promise<DirectoryPage> {
  const upper = prefixUpperBound(query.prefix);
  const termRows = await db
    .selectFrom('user_search_terms')
    .select('user_id')
    .where('term', '>=', query.prefix)
    .where('term', '<', upper)
    .limit(CANDIDATES_MAX + 1)
    .execute();
  if (termRows.length <= CANDIDATES_MAX) {
    let candidates = [...new Set(termRows.map((r) => r.user_id))];
    if (query.shared_with !== null) candidates = await sharing(db, query.shared_with, candidates);
    return page(db, candidates, query);
  }
  if (query.shared_with !== null) {
    const partners = await partnersOf(db, query.shared_with);
    if (partners !== null) {
      const matching = await db.selectFrom('user_search_terms').select('user_id').distinct().where('user_id', 'in', partners).where('term', '>=', query.prefix).where('term', '<', upper).execute();
      return page(db, matching.map((r) => r.user_id), query);
    }
  }
  return walk(db, query, upper);
}

/** The candidates' page: those after the cursor, by username_key. */
async function page(db: Kysely<Database>, candidates: string[], query: DirectorySearch): Promise<DirectoryPage> {
  if (candidates.length === 0) return { users: [], last_key: null };
  let select = db.selectFrom('users as u').select(USER_SELECT).where('u.id', 'in', candidates);
  if (query.after_username_key !== null) select = select.where('u.username_key', '>', query.after_username_key);
  const rows = await select.orderBy('u.username_key').limit(query.limit + 1).execute();
  return pageOf(rows, query.limit);
}

/** Users in username order after the cursor that have a matching term (and share a conversation, under `shared`). */
async function walk(db: Kysely<Database>, query: DirectorySearch, upper: string): Promise<DirectoryPage> {
  let select = db
    .selectFrom('users as u')
    .select(USER_SELECT)
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('user_search_terms as t').select(sql<number>`1`.as('one')).whereRef('t.user_id', '=', 'u.id').where('t.term', '>=', query.prefix).where('t.term', '<', upper)),
    );
  if (query.after_username_key !== null) select = select.where('u.username_key', '>', query.after_username_key);
  const me = query.shared_with;
  if (me !== null) {
    select = select.where(({ or, eb, exists, selectFrom }) =>
      or([
        eb('u.id', '=', me),
        exists(
          selectFrom('members as theirs')
            .innerJoin('members as mine', 'mine.conversation_id', 'theirs.conversation_id')
            .select(sql<number>`1`.as('one'))
            .whereRef('theirs.user_id', '=', 'u.id')
            .where('mine.user_id', '=', me),
        ),
      ]),
    );
  }
  const rows = await select.orderBy('u.username_key').limit(query.limit + 1).execute();
  return pageOf(rows, query.limit);
}

/** Of `candidates`, the searcher and those sharing a conversation with them. */
async function sharing(db: Kysely<Database>, me: string, candidates: string[]): Promise<string[]> {
  if (candidates.length === 0) return [];
  const rows = await db
    .selectFrom('members as mine')
    .innerJoin('members as theirs', 'theirs.conversation_id', 'mine.conversation_id')
    .select('theirs.user_id')
    .distinct()
    .where('mine.user_id', '=', me)
    .where('theirs.user_id', 'in', candidates)
    .execute();
  const shared = new Set(rows.map((r) => r.user_id));
  return candidates.filter((id) => id === me || shared.has(id));
}

/** The searcher and everyone sharing a conversation with them, or null when they are more than CANDIDATES_MAX. */
async function partnersOf(db: Kysely<Database>, me: string): Promise<string[] | null> {
  const rows = await db
    .selectFrom('members as mine')
    .innerJoin('members as theirs', 'theirs.conversation_id', 'mine.conversation_id')
    .select('theirs.user_id')
    .distinct()
    .where('mine.user_id', '=', me)
    .limit(CANDIDATES_MAX + 1)
    .execute();
  if (rows.length > CANDIDATES_MAX) return null;
  return [...new Set([me, ...rows.map((r) => r.user_id)])];
}

function pageOf(rows: { username_key: string; id: string; username: string; created_at: Date | string; is_bot: number; display_name: string | null; status_text: string | null; avatar_key: string | null }[], limit: number): DirectoryPage {
  const kept = rows.slice(0, limit);
  return { users: kept.map(toUser), last_key: rows.length > limit ? kept[kept.length - 1]!.username_key : null };
}
