/**
 * Under a list read a page at a time (lib/stores/paged-list.ts): "Load more" while another page
 * follows, and, after the last, a line that says so. The button stays enabled while it loads
 * (the list ignores a second press), so keyboard focus stays on it; when the last page arrives
 * and it goes, focus moves to that line rather than to the top of the page.
 */
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { PagedView } from '../lib/stores/paged-list.js';

interface LoadMoreProps {
  view: PagedView<unknown>;
  /** The button: "Load more users". */
  label: string;
  /** After the last page: "All 12 users are shown." */
  endText: string;
  onMore: () => void;
}

export function LoadMore({ view, label, endText, onMore }: LoadMoreProps) {
  const end = useRef<HTMLParagraphElement>(null);
  const pressed = useRef(false);
  useLayoutEffect(() => {
    if (view.more || !pressed.current) return;
    pressed.current = false;
    end.current?.focus();
  }, [view.more]);

  if (!view.loaded || view.items.length === 0) return null;
  if (!view.more) {
    return (
      <p class="load-more__end muted" tabIndex={-1} ref={end}>
        {endText}
      </p>
    );
  }
  return (
    <div class="form__actions">
      <button
        type="button"
        class="button"
        aria-busy={view.loading}
        onClick={() => {
          pressed.current = true;
          onMore();
        }}
      >
        {view.loading ? 'Loading…' : label}
      </button>
    </div>
  );
}
