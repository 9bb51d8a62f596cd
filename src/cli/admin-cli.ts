/**
 * `npm run admin -- grant USERNAME`: makes an account a server admin from the command line, the
 * way to appoint the first admin without the web (docs/API.md, "Administration"). Also `revoke
 * USERNAME` (refused for the last active admin) and `list` (the admins). Each change is written to
 * the audit log with no actor, as the server's own. Sockets of a running server pick up the new
 * role at their next request (tokens are re-read within a minute with several processes).
 */
import { ConfigError, loadConfig } from '../config/config.js';
import { AdminService } from '../domain/admin/admin.service.js';
import { AppError } from '../domain/errors.js';
import { openCliStore } from './cli-store.js';

const USAGE = 'usage: npm run admin -- grant USERNAME | revoke USERNAME | list';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const [command, username] = process.argv.slice(2);
const needsName = command === 'grant' || command === 'revoke';
if (!(needsName && username !== undefined) && command !== 'list') fail(USAGE);

try {
  const config = loadConfig();
  const store = await openCliStore(config);
  try {
    // Nothing is published: no socket of this process exists. Events of a running server are its own.
    const admin = new AdminService({ store, events: { publish: () => {} } });
    if (command === 'list') {
      const admins = await store.admin.listUsers({ role: 'admin', limit: 10_000 });
      for (const user of admins) process.stdout.write(`${user.username}${user.deactivated_at ? ' (deactivated)' : ''}\n`);
    } else {
      const user = command === 'grant' ? await admin.grantByUsername(username!) : await admin.revokeByUsername(username!);
      if (!user) fail(`no account is named ${username}`);
      process.stdout.write(`${JSON.stringify(user)}\n`);
    }
  } finally {
    await store.close();
  }
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  if (error instanceof AppError) fail(error.message);
  fail(`could not change the role: ${error instanceof Error ? error.message : error}`);
}
