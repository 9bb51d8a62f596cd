/** The screen in the URL hash, so a reload or a shared tab lands on the same conversation. */
import { useEffect, useState } from 'preact/hooks';

export type Route = { kind: 'home' } | { kind: 'new' } | { kind: 'settings' } | { kind: 'conversation'; id: string };

export function parseRoute(hash: string): Route {
  if (hash === '#/new') return { kind: 'new' };
  if (hash === '#/settings') return { kind: 'settings' };
  const match = /^#\/c\/([0-9a-f-]{36})$/i.exec(hash);
  return match ? { kind: 'conversation', id: match[1]!.toLowerCase() } : { kind: 'home' };
}

export function navigate(route: Route): void {
  location.hash = route.kind === 'conversation' ? `#/c/${route.id}` : route.kind === 'home' ? '' : `#/${route.kind}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
