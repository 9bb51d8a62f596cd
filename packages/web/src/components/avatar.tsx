/** Initials on a colour derived from the name. Decorative: the name is always written next to it. */
import { hue, initials } from '../lib/format.js';

export function Avatar({ name, small = false }: { name: string; small?: boolean }) {
  return (
    <span class={`avatar avatar--h${hue(name)}${small ? ' avatar--small' : ''}`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
