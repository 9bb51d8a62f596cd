/** Subscribes the calling component to one atom: it re-renders when (and only when) that value changes. */
import { useEffect, useState } from 'preact/hooks';
import type { Readable } from './stores/atom.js';

export function useAtom<T>(atom: Readable<T>): T {
  const value = atom.get();
  const [, setVersion] = useState(0);
  useEffect(() => {
    const rerender = () => setVersion((v) => v + 1);
    // It may have changed between this render and the subscription.
    if (!Object.is(atom.get(), value)) rerender();
    return atom.subscribe(rerender);
  }, [atom]);
  return value;
}
