/** Helpers of the retention suites. */
import { Api, type TestUser } from '../helpers/api-client.js';

/** Signs up the account ADMIN_USERNAMES names (it becomes an admin on sign-up). */
export async function signUpAdmin(baseUrl: string, username: string, password = 'correct horse battery'): Promise<TestUser> {
  const signUp = await new Api(baseUrl).post('/users', { username, password });
  if (signUp.status !== 201) throw new Error(`admin sign-up answered ${signUp.status}`);
  return { user: signUp.body.user, token: signUp.body.token, password, api: new Api(baseUrl, signUp.body.token) };
}

/** Polls `check` until it holds, or fails after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
