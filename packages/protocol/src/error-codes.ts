/**
 * The closed set of wire error codes (stable forever once shipped) and their HTTP statuses.
 * Socket error frames carry the same codes.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_json: 400,
  unknown_type: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  not_member: 403,
  not_owner: 403,
  not_sender: 403,
  sender_mismatch: 403,
  not_found: 404,
  user_not_found: 404,
  method_not_allowed: 405,
  username_taken: 409,
  message_id_conflict: 409,
  message_deleted: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  host_not_allowed: 421,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_TITLES: Record<ErrorCode, string> = {
  invalid_request: 'Invalid request',
  invalid_json: 'Invalid JSON',
  unknown_type: 'Unknown frame type',
  unauthorized: 'Unauthorized',
  invalid_credentials: 'Invalid credentials',
  forbidden: 'Forbidden',
  origin_not_allowed: 'Origin not allowed',
  not_member: 'Not a member',
  not_owner: 'Not an owner',
  not_sender: 'Not the sender',
  sender_mismatch: 'Sender mismatch',
  not_found: 'Not found',
  user_not_found: 'User not found',
  method_not_allowed: 'Method not allowed',
  username_taken: 'Username taken',
  message_id_conflict: 'message_id conflict',
  message_deleted: 'Message deleted',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  host_not_allowed: 'Host not allowed',
  rate_limited: 'Too many requests',
  internal_error: 'Internal server error',
  unavailable: 'Service unavailable',
};
