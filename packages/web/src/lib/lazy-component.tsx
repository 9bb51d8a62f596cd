/**
 * A component whose code loads on its first render, as a chunk of its own: screens few visits
 * open (Settings) stay out of the first-load JavaScript budget (scripts/check-size.ts). Until the
 * chunk arrives, a "Loading…" line stands in; if it cannot be fetched, a way to try again.
 */
import type { ComponentType, FunctionComponent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>): FunctionComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const start = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = null;
        throw error;
      },
    ));

  return function Lazy(props: P) {
    const [attempt, setAttempt] = useState(0);
    const [failed, setFailed] = useState(false);
    const [, setReady] = useState(false);
    useEffect(() => {
      if (loaded) return;
      let current = true;
      start().then(
        () => current && setReady(true),
        () => current && setFailed(true),
      );
      return () => {
        current = false;
      };
    }, [attempt]);
    if (loaded) {
      const Component = loaded;
      return <Component {...props} />;
    }
    return (
      <div class="empty">
        {failed ? (
          <p role="alert">
            Could not load this screen.{' '}
            <button
              type="button"
              class="button button--ghost button--small"
              onClick={() => {
                setFailed(false);
                setAttempt((n) => n + 1);
              }}
            >
              Try again
            </button>
          </p>
        ) : (
          <p>Loading…</p>
        )}
      </div>
    );
  };
}
