/**
 * A search result's snippet: plain text, with the parts the query matched as <mark> elements
 * made from the highlight offsets (docs/API.md, "Search"). The text is only ever text nodes:
 * nothing of a message becomes HTML.
 */
import type { Highlight } from '@pneumatic/client';
import type { ComponentChildren } from 'preact';

export function SearchSnippet({ text, highlights }: { text: string; highlights: readonly Highlight[] }) {
  const parts: ComponentChildren[] = [];
  let at = 0;
  // Ascending and not overlapping as the server sends them; anything else is skipped, not trusted.
  for (const [start, end] of highlights) {
    if (start < at || end <= start || end > text.length) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(text.slice(at));
  return <span class="search__snippet">{parts}</span>;
}
