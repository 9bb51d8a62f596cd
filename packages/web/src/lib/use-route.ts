/** The screen in the URL hash, so a reload or a shared tab lands on the same conversation. */
import { useEffect, useState } from 'preact/hooks';
import { parseRoute, routeHash, type Route } from './route.js';

export type { Route } from './route.js';

export function navigate(route: Route): void {
  location.hash = routeHash(route);
}

/**
 * Goes to `route` in place of the current entry, so Back does not return to it: an invite link,
 * once used, is not left in the history (its code is a secret that may still admit others).
 */
export function replaceRoute(route: Route): void {
  history.replaceState(history.state, '', `${location.pathname}${location.search}${routeHash(route)}`);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
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
