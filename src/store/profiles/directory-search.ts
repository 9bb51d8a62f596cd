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
 * Under DIRECTORY_VISIBILITY=shared the page keeps only people sharing a conversation with the
 * searcher. When those are up to PARTNERS_FIRST_MAX (nearly everyone), the page starts from them:
 * their terms in the prefix's range, read through (user_id, term), one probe each, then ordered
 * and cut here. Scanning the range and testing each row for a shared conversation was 100 ms
 * at p99 for a searcher knowing 2,000 of 100,000 people (a fiftieth of each range to keep).
 */
import { sql, type Kysely } from 'kysely';
import type { DirectoryPage, DirectoryPosition, DirectorySearch } from '../../domain/ports/profile-repository.js';
import { prefixUpperBound } from '../../domain/profiles/search-terms.js';
import { USER_COLUMNS, toUser } from '../rows.js';
import type { Dialect } from '../dialect.js';
import type { Database } from '../schema.js';

/** Up to this many people sharing a conversation with the searcher, the page starts from them. */
const PARTNERS_FIRST_MAX = 10_000;

const SELECT = ['t.term', 't.username_key', 'u.id', 'u.username', 'u.created_at', 'u.is_bot', 'u.display_name', 'u.status_text', 'u.avatar_key', 'u.deactivated_at'] as const;

export async function searchDirectory(db: Kysely<Database>, dialect: Dialect, query: DirectorySearch): Promise<DirectoryPage> {
  if (query.shared_with !== null) {
    if ((await partnerCounts.count(db, dialect, query.shared_with)) <= PARTNERS_FIRST_MAX) return searchAmong(db, dialect, query, query.shared_with);
  }
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
  if (query.shared_with !== null) {
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

/**
 * Code-point order, as SQLite's BINARY and PostgreSQL's "C" collation compare UTF-8. JavaScript's
 * `<` compares UTF-16 units, which differs only where a surrogate (U+D800–DFFF, half of a
 * character above U+FFFF) meets a unit from U+E000 up: those are moved into code-point order.
 */
export function codePointCompare(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return inCodePointOrder(x) - inCodePointOrder(y);
  }
  return a.length - b.length;
}

const inCodePointOrder = (unit: number): number => (unit >= 0xd800 && unit <= 0xdfff ? unit + 0x2000 : unit >= 0xe000 ? unit - 0x800 : unit);

const byPlace = (a: DirectoryPosition, b: DirectoryPosition): number => codePointCompare(a.term, b.term) || codePointCompare(a.username_key, b.username_key);

/** The page among the searcher and their partners: each one's first term in the prefix's range, in (term, username_key) order, after the cursor. */
async function searchAmong(db: Kysely<Database>, dialect: Dialect, query: DirectorySearch, me: string): Promise<DirectoryPage> {
  const upper = prefixUpperBound(query.prefix);
  const inRange = (ids: readonly string[] | ReturnType<typeof partnersQuery>) =>
    db.selectFrom('user_search_terms').select(['term', 'username_key', 'user_id']).where('user_id', 'in', ids).where('term', '>=', query.prefix).where('term', '<', upper).execute();
  // PostgreSQL would rather scan the range and test each row against the partners (40 ms for a
  // selective prefix): a lateral join probes (user_id, term) once per partner, as SQLite does.
  const partnerRows =
    dialect === 'postgres'
      ? db
          .selectFrom(partnersQuery(db, dialect, me).distinct().as('p'))
          .innerJoinLateral(
            (eb) => eb.selectFrom('user_search_terms as s').select(['s.term', 's.username_key', 's.user_id']).whereRef('s.user_id', '=', 'p.user_id').where('s.term', '>=', query.prefix).where('s.term', '<', upper).as('t'),
            (join) => join.onTrue(),
          )
          .select(['t.term', 't.username_key', 't.user_id'])
          .execute()
      : inRange(partnersQuery(db, dialect, me));
  // The searcher's own terms apart: they are in the partners' list only once they have a conversation.
  const rows = [...(await partnerRows), ...(await inRange([me]))];
  const first = new Map<string, DirectoryPosition & { user_id: string }>();
  for (const row of rows) {
    const known = first.get(row.user_id);
    if (!known || codePointCompare(row.term, known.term) < 0) first.set(row.user_id, row);
  }
  const after = query.after;
  const places = [...first.values()].filter((place) => after === null || byPlace(place, after) > 0).sort(byPlace).slice(0, query.limit + 1);
  const kept = places.slice(0, query.limit);
  const users = kept.length === 0 ? [] : await db.selectFrom('users').select(USER_COLUMNS).where('id', 'in', kept.map((p) => p.user_id)).execute();
  const byId = new Map(users.map((u) => [u.id, u]));
  const last = kept[kept.length - 1];
  return {
    users: kept.flatMap((p) => (byId.has(p.user_id) ? [toUser(byId.get(p.user_id)!)] : [])),
    last: places.length > query.limit && last ? { term: last.term, username_key: last.username_key } : null,
  };
}

/** Everyone sharing a conversation with `me`, `me` included (as a member of those conversations). */
function partnersQuery(db: Kysely<Database>, dialect: Dialect, me: string) {
  // PostgreSQL hash-joins all of `members` for this (18 ms at 100,000 memberships); an array of
  // the searcher's conversations makes it probe the primary key once each.
  if (dialect === 'postgres') {
    return db.selectFrom('members as theirs').select('theirs.user_id').where(sql<boolean>`theirs.conversation_id = any(array(select conversation_id from members where user_id = ${me}))`);
  }
  return db.selectFrom('members as mine').innerJoin('members as theirs', 'theirs.conversation_id', 'mine.conversation_id').select('theirs.user_id').where('mine.user_id', '=', me);
}

/**
 * How many people share a conversation with a searcher (`me` included), counted up to
 * PARTNERS_FIRST_MAX + 1 and kept a minute: it only chooses the plan (both give the same
 * answer), so a stale count costs at most a slower page, and typing a name asks it once.
 */
class PartnerCounts {
  private readonly counts = new Map<string, { n: number; at: number }>();

  constructor(private readonly ttlMs: number, private readonly maxEntries: number) {}

  async count(db: Kysely<Database>, dialect: Dialect, me: string): Promise<number> {
    const now = Date.now();
    const known = this.counts.get(me);
    if (known && now - known.at < this.ttlMs) return known.n;
    const row = await db
      .selectFrom(partnersQuery(db, dialect, me).distinct().limit(PARTNERS_FIRST_MAX + 1).as('p'))
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .executeTakeFirstOrThrow();
    this.counts.delete(me);
    if (this.counts.size >= this.maxEntries) this.counts.delete(this.counts.keys().next().value!);
    this.counts.set(me, { n: Number(row.n), at: now });
    return Number(row.n);
  }
}

const partnerCounts = new PartnerCounts(60_000, 10_000);
