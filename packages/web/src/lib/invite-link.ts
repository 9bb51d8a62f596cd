/**
 * Invite links (docs/API.md, "Invite links"): the server answers a new invite with `path`, the
 * web app's sign-up page for it (`/#/invite/<code>`), relative to the server, which serves this app.
 */
const MARK = '#/invite/';

/** The whole link to give someone: this server's origin (`location.origin`) and the invite's path. */
export function inviteLink(origin: string, path: string): string {
  return `${origin}${path.startsWith('/') ? '' : '/'}${path}`;
}

/** The code in what a person typed or pasted: the code itself, or a whole invite link. */
export function inviteCodeIn(text: string): string {
  const trimmed = text.trim();
  const at = trimmed.lastIndexOf(MARK);
  return at >= 0 ? trimmed.slice(at + MARK.length) : trimmed;
}
