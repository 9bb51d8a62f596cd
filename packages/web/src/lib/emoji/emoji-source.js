// The emoji dataset (emojibase-data, English, compact: ~540 kB of JSON), in a chunk of its own that
// Vite splits off at this dynamic import: it loads when the picker first opens, never on first load.
// Plain JavaScript with a declaration beside it, so the type checker does not infer a type for the
// whole JSON file.
export const loadCompactEmoji = () => import('emojibase-data/en/compact.json').then((module) => module.default);
