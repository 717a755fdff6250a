import { describe, expect, it } from 'vitest';
import { compose } from '../core/types.js';
import { scriptedTransport } from '../testing/scripted-transport.js';
import { headers } from './headers.js';
import { observe, type ResponseEvent } from './observe.js';

describe('headers and observe layers', () => {
  it('add Version and User-Agent, not Version on anonymous requests', async () => {
    const t = scriptedTransport([{ status: 200 }, { status: 200 }]);
    const send = compose([headers()], t.send);
    await send({ method: 'GET', path: '/contacts/x', idempotent: true });
    await send({ method: 'POST', path: '/oauth/token', idempotent: false, anonymous: true });
    expect(t.requests[0]!.headers).toMatchObject({ version: '2021-07-28', 'user-agent': 'ghl-bridge/0.1' });
    expect(t.requests[1]!.headers).not.toHaveProperty('version');
  });

  it('report each attempt with tokens and secrets redacted', async () => {
    const events: ResponseEvent[] = [];
    const t = scriptedTransport([{ status: 200, headers: { 'x-ratelimit-remaining': '42', 'x-ratelimit-daily-remaining': '1000' } }, { error: new Error('boom') }]);
    const send = compose([observe({ onResponse: (e) => events.push(e) })], t.send);
    await send({ method: 'GET', path: '/contacts/x', idempotent: true, headers: { authorization: 'Bearer pit-secret' }, query: { locationId: 'L', refresh_token: 'rt-secret' } });
    await expect(send({ method: 'GET', path: '/contacts/y', idempotent: true })).rejects.toThrow('boom');
    expect(events[0]).toMatchObject({ status: 200, headers: { authorization: '[REDACTED]' }, query: { locationId: 'L', refresh_token: '[REDACTED]' }, rateLimit: { remaining: 42, dailyRemaining: 1000 } });
    expect(JSON.stringify(events)).not.toContain('secret');
    expect(events[1]).toMatchObject({ path: '/contacts/y', status: null, error: { name: 'Error', message: 'boom' } });
  });
});
