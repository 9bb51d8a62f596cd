/**
 * Follow / unfollow a thread from its panel's header: a toggle button (aria-pressed) reading
 * "Follow", or "Following" while pressed. Its name is its text plus " thread" (hidden): a name
 * that stayed "Follow thread" would not contain the visible "Following", which speech input
 * users say to press it (WCAG 2.5.3, Label in Name). A thread you do not follow counts no new
 * replies. Shown at once; if the server refuses, it goes back and says why.
 */
import { useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { useAtom } from '../lib/use-atom.js';

export function ThreadFollowButton({ store, conversationId, rootId }: { store: ChatStore; conversationId: string; rootId: string }) {
  const followed = useAtom(store.threads.followed(conversationId, rootId));
  const [error, setError] = useState<string | null>(null);

  const toggle = () => {
    const follow = !followed;
    setError(null);
    store.threads.setFollowed(conversationId, rootId, follow).catch((e: unknown) => setError(`Could not ${follow ? 'follow' : 'unfollow'} the thread. ${errorText(e)}`));
  };

  return (
    <>
      <button type="button" class={`button button--tiny thread-follow${followed ? ' thread-follow--on' : ''}`} aria-pressed={followed} onClick={toggle}>
        {followed ? 'Following' : 'Follow'}
        <span class="visually-hidden"> thread</span>
      </button>
      {error ? (
        <p class="thread-panel__error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
