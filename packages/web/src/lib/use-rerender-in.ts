/** Re-renders the calling component once `ms` from now (a mute that ends, "last seen" that ages); null: never. */
import { useEffect, useState } from 'preact/hooks';

/** setTimeout's longest delay (about 24.8 days); a later moment is reached in several steps. */
const MAX_DELAY_MS = 2_147_483_647;

export function useRerenderIn(ms: number | null): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (ms === null) return;
    const timer = setTimeout(() => setTick((t) => t + 1), Math.min(Math.max(ms, 0) + 50, MAX_DELAY_MS));
    return () => clearTimeout(timer);
  });
}
