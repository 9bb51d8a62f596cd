/** Sign-up and log-in: the two routes that hand out tokens, so the two that need none. */
import { Type } from 'typebox';
import { User } from '@pneumatic/protocol';
import type { AccountService } from '../../domain/account.service.js';
import type { ClientInfo } from '../../domain/sessions/session-use-recorder.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

const UserWithToken = Type.Object({ user: User, token: Type.String() });

type IssueToken = (accounts: AccountService, username: string, password: string, clientIp: string, client: ClientInfo) => ReturnType<AccountService['login']>;

/** Both take credentials and answer 201 `{user, token}`; they differ in what they do with them. */
const TOKEN_ROUTES: { url: string; tag: string; summary: string; issue: IssueToken }[] = [
  { url: '/users', tag: 'users', summary: 'Sign up', issue: (accounts, ...args) => accounts.register(...args) },
  { url: '/sessions', tag: 'sessions', summary: 'Log in', issue: (accounts, ...args) => accounts.login(...args) },
];

export const accountsRoutes: RoutePlugin = async (app, { services, schemas }) => {
  for (const { url, tag, summary, issue } of TOKEN_ROUTES) {
    app.post(url, { schema: { tags: [tag], summary, body: schemas.Credentials, response: responses({ 201: UserWithToken }) } }, async (request, reply) => {
      const result = await issue(services.accounts, request.body.username, request.body.password, request.ip, { user_agent: request.headers['user-agent'], ip: request.ip });
      return reply.code(201).send(result);
    });
  }
};
