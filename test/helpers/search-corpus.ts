/**
 * The fixed search corpus (issue #17): messages in English, French with accents, German
 * compounds, Chinese, Japanese, Korean, emoji, URLs, e-mail addresses, hyphenated words, code,
 * quotes and asterisks, HTML-looking text, ligatures and full-width forms, spread over three
 * conversations so that who may see what matters. Data only: the world that loads it through the
 * API is search-world.ts; the expectations are search-expectations.ts.
 */

/** Who is in which conversation when the corpus is loaded (erin joins c1 and leaves it; dave is in none). */
export const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'] as const;
export type Person = (typeof PEOPLE)[number];
export const CONVERSATIONS = { c1: ['alice', 'bob', 'carol', 'erin'], c2: ['alice', 'bob'], c3: ['carol', 'frank'] } as const satisfies Record<string, readonly Person[]>;
export type ConversationKey = keyof typeof CONVERSATIONS;
/** Who creates each conversation (the first listed). */
export const OWNER: Record<ConversationKey, Person> = { c1: 'alice', c2: 'alice', c3: 'carol' };

export interface CorpusMessage {
  key: string;
  conv: ConversationKey;
  by: Person;
  text: string;
  /** Sent as a thread reply to the message with this key. */
  threadRoot?: string;
  /** After sending: edited to this text (found by it only) or deleted (never found). */
  editTo?: string;
  deleted?: boolean;
}

const LONG_TEXT =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ' +
  'Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. ' +
  'Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. ' +
  'Here is the needle we are looking for, ' +
  'excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum. ' +
  'Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque laudantium, totam rem aperiam.';

const m = (key: string, conv: ConversationKey, by: Person, text: string, extra: Partial<CorpusMessage> = {}): CorpusMessage => ({ key, conv, by, text, ...extra });

/** In sending order: created_at grows along the list. */
export const CORPUS: CorpusMessage[] = [
  // English
  m('en.deploy1', 'c1', 'alice', 'Deploying the new release to production tonight'),
  m('en.deploy2', 'c1', 'bob', 'The deployment failed, rolling back'),
  m('en.deploy3', 'c1', 'carol', 'deploy it now'),
  m('en.miss', 'c1', 'bob', 'I grew up in Mississippi, near the river'),
  m('en.ny', 'c1', 'alice', 'New York is expensive; York is not'),
  m('en.yorknew', 'c1', 'bob', 'York New Year party'),
  m('en.room', 'c1', 'carol', 'Meeting at 10am in room B2, bring the slides'),
  m('en.apos', 'c1', 'bob', "It's a go! We're shipping"),
  // French
  m('fr.cafe', 'c1', 'alice', "Café au lait et croissant, s'il vous plaît"),
  m('fr.noel', 'c1', 'bob', "L'élève a réussi l'examen à Noël"),
  m('fr.noir', 'c1', 'carol', 'CAFÉ NOIR sans sucre'),
  // German
  m('de.dampf', 'c1', 'alice', 'Die Donaudampfschifffahrtsgesellschaft hat Verspätung'),
  m('de.strasse', 'c1', 'bob', 'Straße gesperrt wegen Bauarbeiten'),
  m('de.muller', 'c1', 'carol', 'Müller und Mueller sind nicht gleich'),
  m('de.ss', 'c1', 'alice', 'Die Strasse ist nass'),
  // Chinese, Japanese, Korean
  m('zh.beijing', 'c1', 'alice', '我们明天在北京开会'),
  m('zh.duck', 'c1', 'bob', '北京烤鸭很好吃'),
  m('zh.weather', 'c1', 'carol', '今天天气很好'),
  m('ja.tower', 'c1', 'alice', '東京タワーに行った'),
  m('ja.kana', 'c1', 'bob', 'ひらがなとカタカナ'),
  m('ja.tokyo', 'c1', 'carol', '東京都の天気は晴れ'),
  m('ko.hello', 'c1', 'alice', '안녕하세요 여러분'),
  m('ko.seoul', 'c1', 'bob', '서울에서 만나요'),
  // Emoji
  m('em.party', 'c1', 'alice', 'Great job 🎉🎉 team'),
  m('em.rocket', 'c1', 'bob', 'ship it 🚀🔥'),
  m('em.thumb', 'c1', 'carol', '👍🏽 sounds good'),
  // URLs, e-mail addresses, hyphenated words
  m('url.docs', 'c1', 'alice', 'See https://example.com/docs/search?q=fts5&lang=en for details'),
  m('url.mirror', 'c1', 'bob', 'Mirror at http://mirror.example.org/pub/'),
  m('mail', 'c1', 'carol', 'Write to bob.smith@example.com or support@pneumatic.dev'),
  m('hy.email', 'c1', 'alice', 'A well-known state-of-the-art e-mail client'),
  m('hy.inbox', 'c1', 'bob', 'Check your email inbox'),
  // Code, quotes, asterisks, engine syntax and markup as text
  m('code.map', 'c1', 'carol', 'Use `const x = arr.map((a) => a * 2);` here'),
  m('code.sql', 'c1', 'alice', "SELECT * FROM users WHERE name LIKE '%bob%';"),
  m('code.fn', 'c1', 'bob', 'function foo_bar(baz) { return baz->qux; }'),
  m('code.path', 'c1', 'carol', 'Open C:\\Users\\me\\file.txt now'),
  m('q.hello', 'c1', 'alice', 'He said "hello world" and left'),
  m('q.bold', 'c1', 'bob', 'This is **bold** and *italic* text'),
  m('q.near', 'c1', 'carol', 'NEAR(alpha beta) AND gamma OR -delta'),
  m('html', 'c1', 'alice', '<b>bold tag</b> & <script>alert(1)</script>'),
  // Compatibility forms: a ligature, full-width letters and digits
  m('lig', 'c1', 'bob', 'The ﬁnal ﬁx is in'),
  m('wide', 'c1', 'carol', 'Code ＡＢＣ１２３ received'),
  m('long', 'c1', 'alice', LONG_TEXT),
  // Deleted, edited, a thread reply
  m('gone', 'c1', 'alice', 'ephemeral zebra message', { deleted: true }),
  m('edited', 'c1', 'bob', 'original walrus text', { editTo: 'updated narwhal text' }),
  m('reply', 'c1', 'carol', 'thread reply about quokka', { threadRoot: 'en.deploy3' }),
  // The other conversations: alice and bob's c2, carol and frank's c3
  m('c2.cafe', 'c2', 'bob', 'Un café crème, merci'),
  m('c2.tokyo', 'c2', 'alice', '東京で会いましょう'),
  m('c2.miss', 'c2', 'alice', 'Mississippi again'),
  m('c3.cafe', 'c3', 'frank', 'Secret café meeting'),
  m('c3.miss', 'c3', 'carol', 'Mississippi secret'),
  m('c3.tokyo', 'c3', 'frank', '東京 secret'),
  m('c3.standup', 'c3', 'frank', 'standup notes secret'),
  // 15 hits of one word for paging: 10 in c1, 5 in c2
  ...Array.from({ length: 15 }, (_, i) => m(`standup.${i + 1}`, i % 3 === 2 ? 'c2' : 'c1', (['alice', 'carol', 'bob'] as const)[i % 3]!, `standup notes day ${i + 1}`)),
];

/**
 * Queries compared, for every person, with the reference definition (reference-match.ts) over
 * what that person may see. Some are refused (nothing findable): the expected answer is then the
 * parser's 400 and its code.
 */
export const QUERIES: readonly string[] = [
  // Folding of case and diacritics
  'cafe', 'café', 'CAFE', 'Café', 'caf', 'ca', 'au', 'lait', 'noel', 'NOËL', 'eleve', 'plait', 'reussi',
  // German: compounds found inside, ß is not ss (foldText keeps ß)
  'straße', 'strasse', 'STRASSE', 'muller', 'mueller', 'schifffahrt', 'dampf', 'donaudampfschifffahrtsgesellschaft', 'verspatung',
  // Spaceless scripts: every term a substring, 1 and 2 characters too
  '北京', '北', '京', '开会', '天', '東京', '東', 'タワー', 'カタカナ', 'が', '天気', '天气', '北京 烤鸭', '"北京烤鸭"', '안녕', '여러분', '서울', '요',
  // Emoji
  '🎉', '🎉🎉', '🚀', '👍', '🔥🚀', '🚀🔥', 'ship 🚀',
  // URLs and e-mail addresses
  'example.com', 'https://example.com', 'example', 'fts5', 'q=fts5', 'mirror.example.org', 'bob.smith@example.com', 'smith', '@example', 'pneumatic.dev', 'support@',
  // Hyphens
  'e-mail', 'email', '"e mail"', 'well-known', '"well known"', 'state-of-the-art', '"state of the art"', 'art', 'e-ma*',
  // Code and backslashes
  'foo_bar', 'foo', 'bar', 'baz->qux', '%bob%', '%', '_', 'LIKE', 'arr.map', '(a)', 'a', 'x', 'C:\\Users', 'file.txt', '\\', '\\Users\\me',
  // Quotes, asterisks, an engine's operators
  '"hello world"', 'hello', '"world and"', '"said hello"', '**bold**', '*italic*', 'bold', 'italic*', 'NEAR(alpha beta)', 'NEAR', '-delta', 'AND', 'OR', 'alpha:beta', '"unclosed hello',
  // Markup as text
  '<b>', 'script', 'alert(1)', '&',
  // Ligatures, full width
  'final', 'fix', 'ﬁx', 'ﬁ', 'abc123', 'ＡＢＣ', '123', '１２３',
  // Long content
  'needle', 'haystack', 'lorem needle',
  // Substrings, prefixes, phrases
  'ipp', 'Mississippi', 'mis*', 'missi*', 'Mississippi*', 'dep*', 'deplo*', 'deploy', 'deployment', 'deploying', 'd*', 'new york', '"new york"', '"york new"', '"New York is"', 'york', 'new', 'ne*',
  // Short words: whole words only
  'b2', 'B2', '10am', 'in', 'it', 's', "it's", "we're", 'go', 'up',
  // Paging corpus
  'standup', 'standup notes', '"notes day"', 'day 3', '"day 1"', 'day 1*', 'standup secret',
  // Deleted, edited, thread reply
  'zebra', 'ephemeral', 'walrus', 'original', 'narwhal', 'updated', 'quokka', 'thread reply',
  // Other conversations
  'secret', 'cafe secret', 'again',
];

/**
 * Literal expectations, written by hand: they check the reference definition itself (the unit
 * suite) and every provider (the database suites). `from:` names a person; the world puts the
 * username in.
 */
export const LITERAL: readonly { q: string; as: Person; keys: readonly string[]; why: string }[] = [
  { q: 'cafe', as: 'alice', keys: ['fr.cafe', 'fr.noir', 'c2.cafe'], why: 'diacritics and case folded; c3 is not hers' },
  { q: 'CAFÉ', as: 'alice', keys: ['fr.cafe', 'fr.noir', 'c2.cafe'], why: 'the query is folded alike' },
  { q: 'cafe', as: 'carol', keys: ['fr.cafe', 'fr.noir', 'c3.cafe'], why: "carol sees c1 and c3, not c2" },
  { q: 'cafe', as: 'frank', keys: ['c3.cafe'], why: 'frank sees c3 only' },
  { q: 'cafe', as: 'dave', keys: [], why: 'dave is in no conversation' },
  { q: 'cafe', as: 'erin', keys: [], why: 'erin left c1' },
  { q: 'noel', as: 'alice', keys: ['fr.noel'], why: 'Noël folds to noel' },
  { q: 'straße', as: 'alice', keys: ['de.strasse'], why: 'ß is kept by foldText (NFKD has no decomposition for it)' },
  { q: 'strasse', as: 'alice', keys: ['de.ss'], why: 'so strasse does not find Straße' },
  { q: 'muller', as: 'alice', keys: ['de.muller'], why: 'ü folds to u' },
  { q: 'schifffahrt', as: 'alice', keys: ['de.dampf'], why: 'found inside a compound (≥ 3 characters: a substring)' },
  { q: '東京', as: 'alice', keys: ['ja.tower', 'ja.tokyo', 'c2.tokyo'], why: 'Han without spaces: a substring' },
  { q: '東京', as: 'frank', keys: ['c3.tokyo'], why: 'only his conversation' },
  { q: '天', as: 'alice', keys: ['zh.beijing', 'zh.weather', 'ja.tokyo'], why: 'one Han character: still a substring (明天, 今天天气, 天気)' },
  { q: '天気', as: 'alice', keys: ['ja.tokyo'], why: '気 (Japanese) is not 气 (simplified Chinese)' },
  { q: 'が', as: 'alice', keys: ['ja.kana'], why: 'one Hiragana character' },
  { q: '여러분', as: 'alice', keys: ['ko.hello'], why: 'Hangul: a substring' },
  { q: 'ipp', as: 'alice', keys: ['en.miss', 'en.apos', 'c2.miss'], why: 'a 3-character substring inside a word (Mississippi, shipping)' },
  { q: '"new york"', as: 'alice', keys: ['en.ny'], why: 'a phrase: these words next to each other, in order' },
  { q: 'new york', as: 'alice', keys: ['en.ny', 'en.yorknew'], why: 'two words, anywhere' },
  { q: 'deplo*', as: 'alice', keys: ['en.deploy1', 'en.deploy2', 'en.deploy3'], why: 'a prefix' },
  { q: 'e-mail', as: 'alice', keys: ['hy.email'], why: 'the hyphen is part of the substring' },
  { q: 'email', as: 'alice', keys: ['hy.inbox'], why: 'e-mail is not email' },
  { q: '"e mail"', as: 'alice', keys: ['hy.email'], why: 'the hyphen separates words' },
  { q: 'b2', as: 'alice', keys: ['en.room'], why: 'a 2-character whole word' },
  { q: 'ca', as: 'alice', keys: [], why: '2 characters: whole words only, and no word is "ca"' },
  { q: '🎉', as: 'alice', keys: ['em.party'], why: 'an emoji' },
  { q: '👍', as: 'alice', keys: ['em.thumb'], why: 'found with a skin tone after it' },
  { q: '🔥🚀', as: 'alice', keys: [], why: 'the emoji are the other way round in the message' },
  { q: 'example.com', as: 'alice', keys: ['url.docs', 'mail'], why: 'in a URL and in an e-mail address' },
  { q: 'bob.smith@example.com', as: 'alice', keys: ['mail'], why: 'a whole e-mail address' },
  { q: 'foo_bar', as: 'alice', keys: ['code.fn'], why: 'an identifier' },
  { q: '%bob%', as: 'alice', keys: ['code.sql'], why: 'LIKE wildcards are text' },
  { q: '\\Users\\me', as: 'alice', keys: ['code.path'], why: 'backslashes are text' },
  { q: '**bold**', as: 'alice', keys: ['q.bold', 'html'], why: 'trailing asterisks make a prefix (bold*), leading ones separate words' },
  { q: 'NEAR(alpha beta)', as: 'alice', keys: ['q.near'], why: 'two substrings, "near(alpha" and "beta)": engine syntax is text' },
  { q: 'NEAR', as: 'alice', keys: ['q.near', 'en.miss'], why: "an engine's operator is a word to find (and a substring of near the river)" },
  { q: '<b>', as: 'alice', keys: ['html'], why: 'markup is text' },
  { q: 'final', as: 'alice', keys: ['lig'], why: 'the ligature ﬁ folds to fi' },
  { q: 'abc123', as: 'alice', keys: ['wide'], why: 'full-width letters and digits fold' },
  { q: 'zebra', as: 'alice', keys: [], why: 'deleted' },
  { q: 'walrus', as: 'alice', keys: [], why: 'edited away' },
  { q: 'narwhal', as: 'alice', keys: ['edited'], why: 'the new text' },
  { q: 'quokka', as: 'alice', keys: ['reply'], why: 'a thread reply' },
  { q: 'secret', as: 'alice', keys: [], why: 'only in c3' },
  { q: 'from:bob cafe', as: 'alice', keys: ['c2.cafe'], why: "bob's only" },
  { q: 'from:@carol cafe', as: 'alice', keys: ['fr.noir'], why: 'from:@name too' },
  { q: 'from:frank secret', as: 'carol', keys: ['c3.cafe', 'c3.tokyo', 'c3.standup'], why: "frank's in c3" },
];
