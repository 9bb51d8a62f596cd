/**
 * The search workload's fixture: N messages (search-corpus.ts) over 2,000 conversations, the
 * searching user a member of 200 of them, written in bulk straight into the server's database
 * (growth-seed.ts). Inserting into `messages` fires the search index's triggers, so the seeding
 * time includes building the index. While seeding, every message the searcher may see is
 * matched against each query with the domain's reference definition of a match, so the answers
 * can be checked against what a member should find.
 */
import { termMatches, wordsOf } from '../../src/domain/search/reference-match.js';
import { foldText, parseSearchQuery, type ParsedQuery } from '../../src/domain/search/search-query.js';
import { createUsers, type BenchUser } from '../lib/setup.js';
import { round } from '../lib/stats.js';
import type { RunningTarget } from '../lib/targets.js';
import type { BenchContext } from './context.js';
import { openSeeder, seedConversations, seedMessages } from './growth-seed.js';
import { SEARCH_CASES, SearchCorpus } from './search-corpus.js';

export interface SearchFixtureOptions {
  messages: number;
  conversations: number;
  /** Conversations the searcher is a member of (every conversations/memberOf-th one). */
  memberOf: number;
  /** Users who write the messages (besides the searcher, who writes in its own conversations too). */
  senders: number;
}

export interface SearchFixture {
  searcher: BenchUser;
  /** Messages written, and those in the searcher's conversations. */
  messages: number;
  visibleMessages: number;
  /** Average content length (UTF-16 code units). */
  averageChars: number;
  /** Users and conversations (through the API and in bulk), then the messages with their index. */
  setupSeconds: number;
  seedSeconds: number;
  /** Per SEARCH_CASES name: the searcher's messages that match (the reference definition). */
  expectedHits: Record<string, number>;
}

const SEEDED_MESSAGE_GAP_MS = 1000;

/** Counts, per query, the visible messages that match, as reference-match.ts defines it. */
class HitCounter {
  private readonly queries: { name: string; parsed: ParsedQuery }[] = SEARCH_CASES.map((c) => ({ name: c.name, parsed: parseSearchQuery(c.q) }));
  readonly hits: Record<string, number> = Object.fromEntries(SEARCH_CASES.map((c) => [c.name, 0]));

  count(content: string): void {
    const folded = foldText(content);
    const words = wordsOf(folded);
    for (const { name, parsed } of this.queries) {
      if (parsed.terms.every((term) => termMatches(term, folded, words))) this.hits[name]! += 1;
    }
  }
}

export async function seedSearchFixture(ctx: BenchContext, target: RunningTarget, options: SearchFixtureOptions): Promise<SearchFixture> {
  if (!target.databaseUrl) throw new Error('search needs the server database');
  const t0 = Date.now();
  const [searcher, ...senders] = await createUsers(target.baseUrl, options.senders + 1, 'se');
  if (!searcher || senders.length < 3) throw new Error('users not created');
  const seeder = await openSeeder(target.databaseUrl);
  try {
    let virtualMs = Date.now() - 60_000 - (options.messages + options.conversations) * SEEDED_MESSAGE_GAP_MS;
    const clock = () => new Date((virtualMs += SEEDED_MESSAGE_GAP_MS)).toISOString();
    const every = Math.max(1, Math.floor(options.conversations / options.memberOf));
    const plans = Array.from({ length: options.conversations }, (_, i) => {
      const owner = senders[i % senders.length]!;
      const others = [senders[(i + 1) % senders.length]!, senders[(i + 7) % senders.length]!];
      const withSearcher = i % every === 0 && i / every < options.memberOf;
      return { id: crypto.randomUUID(), owner, others: withSearcher ? [...others, searcher] : others };
    });
    const visible = new Set<string>(plans.filter((p) => p.others.includes(searcher)).map((p) => p.id));
    await seedConversations(
      seeder,
      plans.map((p) => ({ id: p.id, ownerId: p.owner.id, memberIds: p.others.map((u) => u.id), activityAt: clock() })),
    );
    const setupSeconds = round((Date.now() - t0) / 1000, 1);
    ctx.log(`  ${options.conversations} conversations (the searcher in ${visible.size}), ${senders.length + 1} users (${setupSeconds} s); seeding ${options.messages.toLocaleString('en')} messages`);

    const corpus = new SearchCorpus(options.messages);
    const counter = new HitCounter();
    let visibleMessages = 0;
    let chars = 0;
    const content = (conversationId: string) => {
      const text = corpus.next();
      chars += text.length;
      if (visible.has(conversationId)) {
        visibleMessages += 1;
        counter.count(text);
      }
      return text;
    };
    const base = Math.floor(options.messages / options.conversations);
    const extra = options.messages - base * options.conversations;
    const seedStart = Date.now();
    const written = await seedMessages(
      seeder,
      plans.map((p, i) => ({ conversationId: p.id, senderIds: [p.owner.id, ...p.others.map((u) => u.id)], count: base + (i < extra ? 1 : 0) })),
      clock,
      false,
      content,
    );
    await seeder.analyze();
    const seedSeconds = round((Date.now() - seedStart) / 1000, 1);
    ctx.log(`  seeded ${written.toLocaleString('en')} messages in ${seedSeconds} s (${Math.round(written / Math.max(seedSeconds, 0.001)).toLocaleString('en')}/s, index included); ${visibleMessages.toLocaleString('en')} visible to the searcher`);
    return {
      searcher,
      messages: written,
      visibleMessages,
      averageChars: round(chars / Math.max(1, written), 1),
      setupSeconds,
      seedSeconds,
      expectedHits: counter.hits,
    };
  } finally {
    await seeder.close();
  }
}
