import { describe, expect, it } from 'vitest';
import { PneumaticError, isRetryable } from '../../src/errors.js';

describe('isRetryable', () => {
  it.each(['network', 'unavailable', 'rate_limited', 'internal_error', 'request_timeout'])('says a request that failed with %s may be sent again', (code) => {
    expect(isRetryable(new PneumaticError(code, 'failed'))).toBe(true);
  });

  it.each(['invalid_request', 'forbidden', 'not_found', 'unauthorized', 'headers_too_large', 'payload_too_large', 'deadline_exceeded'])('says a request refused with %s would be refused again', (code) => {
    expect(isRetryable(new PneumaticError(code, 'refused'))).toBe(false);
  });

  it('says anything that is not a PneumaticError is not retryable', () => {
    expect(isRetryable(new Error('network'))).toBe(false);
    expect(isRetryable('unavailable')).toBe(false);
  });
});
