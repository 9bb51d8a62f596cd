/** The emojibase-data `en/compact.json` array, loaded on demand (see emoji-source.js); checked where it is read. */
export declare function loadCompactEmoji(): Promise<unknown>;
