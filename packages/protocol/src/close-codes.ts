/**
 * WebSocket close codes, defined once for the server, the SDK and the web app. A module of plain
 * constants (no schema library), so a client bundle can take it alone
 * (`@pneumatic/protocol/close-codes`).
 */
/** WebSocket close codes. 4000–4499 ask the client to reconnect; 4500+ are terminal. */
export const CloseCode = {
  /** RFC 6455 §7.4.1: the endpoint is going away (server shutdown). */
  GOING_AWAY: 1001,
  /** RFC 6455 §7.4.1: the client broke a rule of the server's (it sent pings faster than it read the pongs). */
  POLICY_VIOLATION: 1008,
  /** RFC 6455 §7.4.1: a frame larger than the server accepts. */
  MESSAGE_TOO_BIG: 1009,
  /** The server fell too far behind sending to this socket; reconnect and catch up. */
  SLOW_CONSUMER: 4008,
  /** This process lost the event bus for a while and may have missed events; reconnect and catch up. */
  BUS_INTERRUPTED: 4009,
  /** The token was revoked (logout) or expired. */
  SESSION_REVOKED: 4401,
  /** Terminal: an admin deactivated the account (docs/API.md, "Administration"); logging in again is refused too. */
  ACCOUNT_DEACTIVATED: 4503,
} as const;

/** Close codes from here up to (not including) FIRST_TERMINAL_CLOSE_CODE ask the client to reconnect. */
export const FIRST_RECONNECT_CLOSE_CODE = 4000;
/** Close codes from here up (4500+) are terminal: the client must not reconnect on its own. */
export const FIRST_TERMINAL_CLOSE_CODE = 4500;
