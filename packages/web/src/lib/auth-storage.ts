/**
 * Where the web app keeps its login. The SDK keeps the token in memory only and lets the app
 * resume with `new PneumaticClient({ token, user })`; the app persists that pair in
 * localStorage so a reload, or a second tab, stays logged in. The strict Content-Security-Policy
 * and text-only rendering are what keep scripts that could read it off the page (see README).
 */
import type { User } from '@pneumatic/client';

const KEY = 'pneumatic.auth';

export interface StoredAuth {
  token: string;
  user: User;
}

export function loadAuth(): StoredAuth | null {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<StoredAuth> | null;
    return parsed && typeof parsed.token === 'string' && parsed.user && typeof parsed.user.id === 'string' ? (parsed as StoredAuth) : null;
  } catch {
    return null;
  }
}

export function saveAuth(auth: StoredAuth): void {
  localStorage.setItem(KEY, JSON.stringify(auth));
}

export function clearAuth(): void {
  localStorage.removeItem(KEY);
}

/** Another tab logged in or out: follow it. Returns an unsubscribe function. */
export function onAuthChange(listener: (auth: StoredAuth | null) => void): () => void {
  const handler = (event: StorageEvent) => {
    if (event.key === KEY || event.key === null) listener(loadAuth());
  };
  window.addEventListener('storage', handler);
  return () => window.removeEventListener('storage', handler);
}
