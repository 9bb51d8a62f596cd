/**
 * Where a conversation's held history has holes. Every message of a conversation has a seq
 * (thread replies and deleted messages included, docs/API.md "History"), and the SDK's window
 * holds what the latest page, the pages before it, the live feed and the pages loaded around a
 * search result brought: a seq skipped between two held messages is history not loaded yet,
 * shown as a "Load newer messages" button after the older one.
 */
import type { Message } from '@pneumatic/client';

/** The seqs after which held history skips seqs, ascending; `all` ascending by seq. */
export function holesIn(all: readonly Message[]): number[] {
  const holes: number[] = [];
  for (let i = 1; i < all.length; i++) if (all[i]!.seq > all[i - 1]!.seq + 1) holes.push(all[i - 1]!.seq);
  return holes;
}

/**
 * Each hole at the top-level message it follows (thread replies show in their thread, not in
 * the list): anchor seq → the holes after it, 0 for holes before the first top-level message.
 */
export function gapsByAnchor(gaps: readonly number[], topLevel: readonly Message[]): ReadonlyMap<number, number[]> {
  const anchors = new Map<number, number[]>();
  let i = 0;
  for (const gap of gaps) {
    while (i < topLevel.length && topLevel[i]!.seq <= gap) i++;
    const anchor = i === 0 ? 0 : topLevel[i - 1]!.seq;
    anchors.set(anchor, [...(anchors.get(anchor) ?? []), gap]);
  }
  return anchors;
}
