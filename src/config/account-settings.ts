/**
 * Accounts' settings (docs/API.md, "Finding people"), a part of config.ts's one table kept in a
 * file of its own. Same shape as every other setting: default, one-line doc, parser.
 */
import { oneOf } from './value-parsers.js';

export const ACCOUNT_SETTINGS = {
  REGISTRATION: {
    default: 'open',
    doc: 'Who may sign up with POST /users: open (anyone), invite (with an invite link from someone already on the server) or closed (nobody; create accounts with npm run account -- create USERNAME).',
    parse: oneOf('open', 'invite', 'closed'),
  },
  DIRECTORY_VISIBILITY: {
    default: 'all',
    doc: 'Who GET /users?q= finds: all (everyone on the server) or shared (only people the searcher shares a conversation with). Exact lookups by username or id answer either way.',
    parse: oneOf('all', 'shared'),
  },
};
