import type { ClientFrameType, Scope } from '@pneumatic/protocol';

/**
 * The scope each client frame needs (src/domain/scope.policy.ts); opening the socket needs
 * messages:read (gateway.ts). `ping` and `activity` (presence: the device is in use) need none
 * beyond a socket.
 */
export const FRAME_SCOPES: { readonly [T in ClientFrameType]: Scope | null } = {
  message: 'messages:write',
  typing: 'messages:write',
  read: 'messages:write',
  join: 'messages:read',
  ping: null,
  activity: null,
};
