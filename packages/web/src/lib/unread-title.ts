/** The page title counts unread messages, so a background tab shows them. */
export const APP_TITLE = 'Pneumatic';

/** The page title: "(N) Pneumatic" with the unread messages across conversations, plain at 0. */
export function unreadTitle(unread: number, base: string = APP_TITLE): string {
  if (!Number.isFinite(unread) || unread <= 0) return base;
  return `(${unread > 999 ? '999+' : Math.floor(unread)}) ${base}`;
}
