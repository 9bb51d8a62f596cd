/**
 * The directory workload's fixture, written in bulk straight into the server's database
 * (growth-seed.ts's seeder, either dialect), not through HTTP: N users (directory-people.ts) with
 * their display names and the search terms the server would have stored for them
 * (searchTermsOf, one user_search_terms row each), then conversations: the searcher shares
 * groups and direct conversations with `sharedWith` of them (who DIRECTORY_VISIBILITY=shared
 * lets it find), and everyone is in a few conversations of others, so the members table is
 * the size of a server's that has this many users. Only the searcher is made through
 * POST /users (for its token).
 */
import { PasswordHasher } from '../../src/domain/security/password-hasher.js';
import { createUsers, seededRandom, shuffle, type BenchUser } from '../lib/setup.js';
import { round } from '../lib/stats.js';
import type { RunningTarget } from '../lib/targets.js';
import type { BenchContext } from './context.js';
import { MatchCounter } from './directory-cases.js';
import { PeopleGenerator } from './directory-people.js';
import { openSeeder, seedConversations, type SeedConversation, type Seeder } from './growth-seed.js';

export interface DirectoryFixtureOptions {
  users: number;
  /** Users the searcher shares a conversation with. */
  sharedWith: number;
  /** Of those, the ones in groups of the searcher (the rest are in conversations of two with it). */
  sharedInGroups: number;
  groupSize: number;
  /** Conversations without the searcher, `otherMembers` users each, drawn from everyone. */
  otherConversations: number;
  otherMembers: number;
}

export interface DirectoryFixture {
  searcher: BenchUser;
  /** The searcher and the users it shares a conversation with. */
  visibleToSearcher: Set<string>;
  users: number;
  searchTerms: number;
  conversations: number;
  memberships: number;
  seedSeconds: number;
  /** Per DIRECTORY_CASES index: users each visibility lets the searcher find. */
  expected: { all: number[]; shared: number[] };
}

const USERS_PER_TRANSACTION = 20_000;
const DAY_MS = 86_400_000;

/** Users and their terms, USERS_PER_TRANSACTION a transaction; returns their ids and the terms written. */
async function seedUsers(seeder: Seeder, options: DirectoryFixtureOptions, shared: Set<number>, counter: MatchCounter): Promise<{ ids: string[]; terms: number }> {
  // One real hash of the benchmark's password, at the server's test cost: any seeded user could log in.
  const passwordHash = await new PasswordHasher('test').hash('benchmark-password');
  const people = new PeopleGenerator();
  const ids: string[] = [];
  let terms = 0;
  const since = Date.now() - 365 * DAY_MS;
  for (let start = 0; start < options.users; start += USERS_PER_TRANSACTION) {
    const users: (string | null)[][] = [];
    const termRows: string[][] = [];
    for (let i = start; i < Math.min(options.users, start + USERS_PER_TRANSACTION); i++) {
      const person = people.next();
      const id = crypto.randomUUID();
      ids.push(id);
      const createdAt = new Date(since + Math.floor((i / options.users) * 365 * DAY_MS)).toISOString();
      users.push([id, person.username, person.username.toLowerCase(), passwordHash, createdAt, person.displayName]);
      for (const term of counter.count(person.username, person.displayName, shared.has(i))) termRows.push([term, person.username.toLowerCase(), id]);
    }
    await seeder.transaction(async () => {
      await seeder.insert('users', ['id', 'username', 'username_key', 'password_hash', 'created_at', 'display_name'], users);
      await seeder.insert('user_search_terms', ['term', 'username_key', 'user_id'], termRows);
    });
    terms += termRows.length;
  }
  return { ids, terms };
}

/** The searcher's groups and conversations of two, then everyone else's conversations. */
function conversationsOf(searcher: string, ids: readonly string[], sharedOrder: readonly number[], options: DirectoryFixtureOptions, random: () => number): SeedConversation[] {
  const at = new Date(Date.now() - DAY_MS).toISOString();
  const plans: SeedConversation[] = [];
  const inGroups = sharedOrder.slice(0, options.sharedInGroups);
  for (let i = 0; i < inGroups.length; i += options.groupSize) {
    plans.push({ id: crypto.randomUUID(), ownerId: searcher, memberIds: inGroups.slice(i, i + options.groupSize).map((u) => ids[u]!), activityAt: at });
  }
  for (const u of sharedOrder.slice(options.sharedInGroups)) plans.push({ id: crypto.randomUUID(), ownerId: ids[u]!, memberIds: [searcher], activityAt: at });
  for (let c = 0; c < options.otherConversations; c++) {
    const members = new Set<string>();
    while (members.size < options.otherMembers) members.add(ids[Math.floor(random() * ids.length)]!);
    const [owner, ...others] = [...members];
    plans.push({ id: crypto.randomUUID(), ownerId: owner!, memberIds: others, activityAt: at });
  }
  return plans;
}

export async function seedDirectoryFixture(ctx: BenchContext, target: RunningTarget, options: DirectoryFixtureOptions): Promise<DirectoryFixture> {
  if (!target.databaseUrl) throw new Error('the directory workload needs the server database');
  const [searcher] = await createUsers(target.baseUrl, 1, 'ds');
  if (!searcher) throw new Error('searcher not created');
  const random = seededRandom(2121);
  // Which users (by their place in the stream) the searcher shares a conversation with.
  const sharedOrder = shuffle(Array.from({ length: options.users }, (_, i) => i), random).slice(0, options.sharedWith);
  const shared = new Set(sharedOrder);
  const counter = new MatchCounter();
  const t0 = Date.now();
  const seeder = await openSeeder(target.databaseUrl);
  try {
    const { ids, terms } = await seedUsers(seeder, options, shared, counter);
    ctx.log(`  ${options.users.toLocaleString('en')} users and ${terms.toLocaleString('en')} search terms in ${round((Date.now() - t0) / 1000, 1)} s`);
    const conversations = conversationsOf(searcher.id, ids, sharedOrder, options, random);
    for (let i = 0; i < conversations.length; i += 5000) await seedConversations(seeder, conversations.slice(i, i + 5000));
    await seeder.analyze();
    const seedSeconds = round((Date.now() - t0) / 1000, 1);
    const memberships = conversations.reduce((n, c) => n + 1 + c.memberIds.length, 0);
    ctx.log(`  ${conversations.length.toLocaleString('en')} conversations (${memberships.toLocaleString('en')} memberships; the searcher shares them with ${shared.size.toLocaleString('en')} users); seeding took ${seedSeconds} s`);
    return {
      searcher,
      visibleToSearcher: new Set([searcher.id, ...sharedOrder.map((u) => ids[u]!)]),
      users: options.users,
      searchTerms: terms,
      conversations: conversations.length,
      memberships,
      seedSeconds,
      expected: { all: counter.all, shared: counter.shared },
    };
  } finally {
    await seeder.close();
  }
}
