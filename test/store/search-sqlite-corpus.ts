/**
 * A fixed corpus for the SQLite search provider's tests: the scripts, forms and symbols the
 * reference definition (src/domain/search/reference-match.ts) must be matched on, and queries
 * that exercise every path of the index query (word, phrase, prefix, trigram, short substring).
 */
export const CORPUS: readonly string[] = [
  'Hello world, the quick brown fox jumps over the lazy dog',
  'hello again: HELLO WORLD!',
  'Un café au lait, s’il vous plaît. Déjà vu à Paris',
  'Le cafe est fermé; CAFÉ ouvert demain',
  'Die Donaudampfschifffahrtsgesellschaft und der Kapitän',
  'Schifffahrt auf dem Rhein, Straße nach Köln',
  '我们明天在北京见面，好吗？',
  '北京大学的图书馆很大',
  '東京タワーに行きました。とても楽しかった！',
  'カタカナとひらがなと漢字',
  'Great job 👍 🎉🎉🎉 see you ❤️',
  '👍',
  'Docs at https://example.com/path?q=search&lang=en#top and http://foo.bar/baz',
  'Mail me: jane.doe+chat@example.org or ops@pneumatic.dev',
  'A well-known, state-of-the-art e-mail client; re-run the build',
  'Code: `const x = a?.b ?? c; if (x >= 10) { return "ok"; }`',
  'SELECT * FROM messages WHERE content LIKE \'%50%_off\' -- comment',
  'path\\to\\file.txt and C:\\Windows\\System32',
  'NEAR the station AND OR NOT: (parentheses) "quotes" * stars -minus',
  'ok ok OK Ok',
  'full-width ＯＫ ｃａｆｅ and ligature ﬁnal',
  'नमस्ते दुनिया, हिन्दी में संदेश',
  'Ελληνικά: καλημέρα σας',
  'c# and c++ and f# languages; a.b.c',
  'x y z',
  'the end',
  '',
  '日本',
  'ab cd ef',
  'Tag #release-2.0 and @everyone mention',
];

/** Queries whose answers the provider must give exactly as the reference does. */
export const QUERIES: readonly string[] = [
  'hello', 'Hello world', '"hello world"', '"world hello"', 'HELLO', 'hel', 'hel*', 'he*', 'h*',
  'cafe', 'café', 'CAFE', 'caf', 'deja vu', '"deja vu"', 'plait',
  'schifffahrt', 'dampf', 'kapitan', 'strasse', 'straße', 'koln',
  '北京', '北', '京大', '图书馆', '東京', 'タワー', 'ひらがな', 'と', '楽しかった', '"東京 タワー"', '日本', '日',
  '👍', '🎉', '🎉🎉🎉', '❤️', '❤',
  'https://example.com', 'example.com', 'example', 'com', '"example com"', 'q=search',
  'jane.doe+chat@example.org', '@example', 'ops', 'jane*', 'e-mail', '"e mail"', 'e-ma*', 'well-known', 'state-of-the-art', 're',
  'a?.b', '>=', 'x', '"return ok"', 'return',
  '%50%', '50', '_off', "'%50", 'path\\to', 'to\\', 'c:\\windows',
  'NEAR', 'AND', 'OR NOT', '(parentheses)', '"quotes"', 'stars*', '-minus', 'minus',
  'ok', 'OK', 'ＯＫ', 'ｃａｆｅ', 'final', 'fi', 'ﬁ',
  'नमस्ते', 'हिन्दी', 'दुनिया',
  'καλημερα', 'ελλ*', 'σας',
  'c#', 'c++', 'f#', 'a.b', 'b', 'x y', '"x y z"', 'y*', 'the', 'the end', 'end*',
  'ab', '"ab cd"', 'cd*', 'release-2.0', 'release', '2.0', '#release', 'everyone',
  'hello cafe', 'nothing-matches-this', 'zzz',
  // Terms in both indexes: a substring with a short word, a phrase or a prefix.
  'hello ok', '"hello world" cafe', 'the x', 'jane* example', '"deja vu" paris',
];

/** Queries a user may type that carry engine syntax; each must be answered, never fail. */
export const HOSTILE: readonly string[] = [
  '"', '""', '"""', '"unclosed', 'a"b', '*', '**', 'a**', '-', '--x', 'NEAR(a b)', 'NEAR/2', 'a NEAR b', 'col:val', 'words:hello',
  '(', ')', '(a OR b)', 'a AND', 'OR', 'NOT', '^hello', '{a b}:c', '\\', '\\\\"', "'; drop table messages; --", 'a\u0000b', '\u0000',
  '%', '_', '+', '+hello', 'hello -world', '*hello', 'he*llo', '"a" * "b"', '🎉*', '北*', 'x'.repeat(500), 'ab '.repeat(16).trim(),
];
