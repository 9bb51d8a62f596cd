/**
 * Accounts' settings (docs/API.md, "Finding people"), a part of config.ts's one table kept in a
 * file of its own. Same shape as every other setting: default, one-line doc, parser.
 */
import { USERNAME_PATTERN } from '@pneumatic/protocol';
import { ConfigValueError, oneOf, type Parser } from './value-parsers.js';
import { MODERATION_SETTINGS } from './moderation-settings.js';

/** Comma-separated usernames; each must be one a user could have. */
const usernames: Parser<readonly string[]> = (raw) => {
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const pattern = new RegExp(USERNAME_PATTERN);
  const bad = names.find((name) => !pattern.test(name));
  if (bad !== undefined) throw new ConfigValueError(`"${bad}" is not a username (A-Z a-z 0-9 _ . -)`);
  return names;
};

export const ACCOUNT_SETTINGS = {
  REGISTRATION: {
    default: 'open',
    doc: 'Who may sign up with POST /users: open (anyone), invite (with an invite link from someone already on the server) or closed (nobody; create accounts with npm run account -- create USERNAME).',
    parse: oneOf('open', 'invite', 'closed'),
  },
  ADMIN_USERNAMES: {
    default: '',
    doc: 'Accounts made server admins (docs/API.md, "Administration"), comma-separated usernames: granted as the server starts and as a listed account signs up or logs in, each written to the audit log. Removing a name takes nothing away (then demote in the admin area or with npm run admin -- revoke USERNAME). npm run admin -- grant USERNAME appoints one from the command line.',
    parse: usernames,
  },
  DIRECTORY_VISIBILITY: {
    default: 'all',
    doc: 'Who GET /users?q= finds: all (everyone on the server) or shared (only people the searcher shares a conversation with). Exact lookups by username or id answer either way.',
    parse: oneOf('all', 'shared'),
  },
  // Moderation jobs' own, in a file of their own.
  ...MODERATION_SETTINGS,
};
