/**
 * Moderation jobs' settings (docs/API.md, "Administration"), a part of config.ts's one table
 * kept in a file of its own. Same shape as every other setting: default, one-line doc, parser.
 */
import { integer } from './value-parsers.js';

export const MODERATION_SETTINGS = {
  MESSAGE_REMOVAL_POLL_INTERVAL_MS: {
    default: '5000',
    doc: 'How often each process looks for message removals (POST /admin/users/{user_id}/message-removals) to work on: a removal no process holds, or whose holder stopped renewing its lease (a crash), is taken up within this long. A removal started on a process begins there at once.',
    parse: integer(50, 3_600_000),
  },
  MESSAGE_REMOVAL_LEASE_MS: {
    default: '30000',
    doc: 'How long a process holds a message removal without renewing it (it renews every third of it while it works); after a crash, another process resumes the removal once the lease has run out.',
    parse: integer(200, 3_600_000),
  },
};
