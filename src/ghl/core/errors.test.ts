import { describe, expect, it } from 'vitest';
import {
  errorFromResponse, GhlAuthenticationError, GhlDuplicateContactError, GhlForbiddenError, GhlNotFoundError, GhlRateLimitError,
  GhlServerError, GhlValidationError, nextUtcMidnight,
} from './errors.js';
import type { GhlRequest } from './types.js';

const get: GhlRequest = { method: 'GET', path: '/contacts/abc', idempotent: true, operationId: 'get-contact', query: { locationId: 'L' } };
const create: GhlRequest = { method: 'POST', path: '/contacts/', idempotent: false };
const res = (status: number, body: unknown, headers: Record<string, string> = {}, request = get) => ({ status, body, headers: new Headers(headers), request });

describe('errorFromResponse', () => {
  it('maps statuses to typed errors with method, path and traceId but no query', () => {
    const e = errorFromResponse(res(401, { statusCode: 401, message: 'Invalid JWT', traceId: 't-1' }));
    expect(e).toBeInstanceOf(GhlAuthenticationError);
    expect(e).toMatchObject({ status: 401, method: 'GET', path: '/contacts/abc', traceId: 't-1', code: 'AUTHENTICATION', operationId: 'get-contact' });
    expect(e.message).toBe('GET /contacts/abc → 401: Invalid JWT');
    expect(e.message).not.toContain('locationId');
    expect(errorFromResponse(res(403, { message: 'The token does not have access to this location.' }))).toBeInstanceOf(GhlForbiddenError);
    expect(errorFromResponse(res(404, {}))).toBeInstanceOf(GhlNotFoundError);
  });

  it('reads 400 "not found", duplicates and field messages', () => {
    expect(errorFromResponse(res(400, { message: 'Contact with id abc not found' }))).toBeInstanceOf(GhlNotFoundError);
    const dup = errorFromResponse(res(400, { message: 'This location does not allow duplicated contacts.', meta: { contactId: 'c9', matchingField: 'email' } }, {}, create));
    expect(dup).toBeInstanceOf(GhlDuplicateContactError);
    expect(dup).toMatchObject({ existingContactId: 'c9', matchingField: 'email' });
    const v = errorFromResponse(res(422, { message: ['property gender should not exist', 'email must be an email'] }));
    expect(v).toBeInstanceOf(GhlValidationError);
    expect((v as GhlValidationError).fieldMessages).toEqual(['property gender should not exist', 'email must be an email']);
  });

  it('tells burst from daily 429s and computes the reset time', () => {
    const now = Date.UTC(2026, 10, 23, 15, 0, 0);
    const burst = errorFromResponse(res(429, {}, { 'x-ratelimit-interval-milliseconds': '10000', 'x-ratelimit-daily-remaining': '5' }), now) as GhlRateLimitError;
    expect(burst).toMatchObject({ scope: 'burst', resetAt: now + 10_000 });
    const withRetryAfter = errorFromResponse(res(429, {}, { 'retry-after': '3' }), now) as GhlRateLimitError;
    expect(withRetryAfter.resetAt).toBe(now + 3000);
    const daily = errorFromResponse(res(429, {}, { 'x-ratelimit-daily-remaining': '0' }), now) as GhlRateLimitError;
    expect(daily).toMatchObject({ scope: 'daily', resetAt: Date.UTC(2026, 10, 24) });
    expect(nextUtcMidnight(Date.UTC(2026, 11, 31, 23, 59))).toBe(Date.UTC(2027, 0, 1));
  });

  it('marks a 5xx to a create as possibly carried out, not to an idempotent call', () => {
    expect(errorFromResponse(res(502, 'Bad Gateway', {}, create))).toMatchObject({ mayHaveSucceeded: true });
    const e = errorFromResponse(res(503, {}));
    expect(e).toBeInstanceOf(GhlServerError);
    expect(e.mayHaveSucceeded).toBe(false);
  });
});
