/**
 * The integrations' settings (docs/API.md, "API tokens and scopes", "Bots"), a part of
 * config.ts's one table kept in a file of its own. Same shape as every other setting: default,
 * one-line doc, parser.
 */
import { integer } from './value-parsers.js';
import { WEBHOOK_SETTINGS } from './webhook-settings.js';

export { webhookSettingProblems } from './webhook-settings.js';

export const INTEGRATION_SETTINGS = {
  API_TOKENS_MAX_PER_USER: {
    default: '50',
    doc: 'API tokens (personal access tokens) one user may hold; another is refused with 409 too_many_api_tokens until one is revoked or expires.',
    parse: integer(1, 10_000),
  },
  BOTS_MAX_PER_USER: {
    default: '20',
    doc: 'Bot accounts one user may own; another is refused with 409 too_many_bots.',
    parse: integer(0, 10_000),
  },
  // Outgoing webhooks' own, in a file of their own.
  ...WEBHOOK_SETTINGS,
};
