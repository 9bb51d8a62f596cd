/**
 * The way into Administration (docs/API.md, "Administration"), above your account in the
 * sidebar: shown to admins only, once the server has said so, and following your role alone.
 */
import type { ChatStore } from '../lib/chat-store.js';
import { useAtom } from '../lib/use-atom.js';

export function AdminLink({ store, current }: { store: ChatStore; current: boolean }) {
  const role = useAtom(store.role.view);
  if (role !== 'admin') return null;
  return (
    <nav class="admin-link" aria-label="Server">
      <a href="#/admin" class="button button--ghost button--small button--block admin-link__button" aria-current={current ? 'page' : undefined}>
        <svg class="icon" viewBox="0 0 20 20" aria-hidden="true">
          <path d="M10 2.5 3.5 5v4.5c0 4 2.8 7 6.5 8 3.7-1 6.5-4 6.5-8V5z" />
        </svg>
        Administration
      </a>
    </nav>
  );
}
