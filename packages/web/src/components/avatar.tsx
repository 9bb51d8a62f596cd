/**
 * A user's picture (their avatar, served by the server as a square WebP), else their initials on
 * a colour derived from the name: also when the picture fails to load. Decorative: the name is
 * always written next to it.
 */
import { useState } from 'preact/hooks';
import { hue, initials } from '../lib/format.js';

export function Avatar({ name, small = false, large = false, src = null }: { name: string; small?: boolean; large?: boolean; src?: string | null }) {
  const [failed, setFailed] = useState<string | null>(null);
  const size = small ? ' avatar--small' : large ? ' avatar--large' : '';
  if (src && failed !== src) {
    return <img class={`avatar avatar--image${size}`} src={src} alt="" aria-hidden="true" loading="lazy" decoding="async" onError={() => setFailed(src)} />;
  }
  return (
    <span class={`avatar avatar--h${hue(name)}${size}`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
