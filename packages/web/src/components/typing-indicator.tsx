/** "alice is typing…", announced politely to screen readers. */
import { listNames } from '../lib/format.js';

export function TypingIndicator({ names }: { names: string[] }) {
  const text = names.length === 0 ? '' : names.length > 3 ? 'Several people are typing…' : `${listNames(names)} ${names.length === 1 ? 'is' : 'are'} typing…`;
  return (
    <div class="typing" aria-live="polite">
      {text ? (
        <span>
          <span class="typing__dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {text}
        </span>
      ) : null}
    </div>
  );
}
