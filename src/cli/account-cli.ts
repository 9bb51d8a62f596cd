/**
 * `npm run account -- create USERNAME`: makes an account from the command line, the way to add
 * people to a server with REGISTRATION=closed (docs/API.md, "Registration and invites"). The
 * password is read from standard input (one line), never from the command line, where other
 * users of the machine could read it in the process list.
 *
 *   printf '%s\n' "$PASSWORD" | npm run account -- create ana
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { USERNAME_PATTERN } from '@pneumatic/protocol';
import { ConfigError, loadConfig } from '../config/config.js';
import { PasswordHasher } from '../domain/security/password-hasher.js';
import { openCliStore } from './cli-store.js';

const USAGE = 'usage: npm run account -- create USERNAME   (the password is read from standard input)';

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password: ');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const [command, username] = process.argv.slice(2);
if (command !== 'create' || username === undefined) fail(USAGE);

try {
  const config = loadConfig();
  if (!new RegExp(USERNAME_PATTERN).test(username) || username.length < config.USERNAME_MIN_CHARS || username.length > config.USERNAME_MAX_CHARS) {
    fail(`a username is ${config.USERNAME_MIN_CHARS} to ${config.USERNAME_MAX_CHARS} characters of A-Z a-z 0-9 _ . -`);
  }
  const password = await readPassword();
  if (password.length < config.PASSWORD_MIN_CHARS || password.length > config.PASSWORD_MAX_CHARS) {
    fail(`a password is ${config.PASSWORD_MIN_CHARS} to ${config.PASSWORD_MAX_CHARS} characters`);
  }
  const store = await openCliStore(config);
  try {
    const user = await store.users.create({ id: randomUUID(), username, created_at: new Date().toISOString(), password_hash: await new PasswordHasher(config.PASSWORD_HASH_COST).hash(password) });
    if (!user) fail(`the username ${username} is taken`);
    process.stdout.write(`${JSON.stringify(user)}\n`);
  } finally {
    await store.close();
  }
} catch (error) {
  fail(error instanceof ConfigError ? error.message : `could not create the account: ${error instanceof Error ? error.message : error}`);
}
