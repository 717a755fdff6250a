import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SCHEMES, verifyHmac } from './verify.js';

// Test vectors from shared/reference/sources.md §3.1 and §3.2 (reference libraries).
const sw = { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', t: '1700000000', body: '{"test": 2432232314}', sig: 'v1,hw6D+jquXiPwVQiZTwb2ek9FSrOofldv7tv4JVMsFUY=' };
const now = 1700000000 * 1000 + 60_000;

describe('verifyHmac', () => {
  it('accepts the Standard Webhooks test vector, among rotated signatures, and names the message id', () => {
    const headers = { 'webhook-id': sw.id, 'webhook-timestamp': sw.t, 'webhook-signature': `v1,AAAA ${sw.sig}` };
    expect(verifyHmac(SCHEMES.standardWebhooks, sw.secret, { rawBody: sw.body, headers, now })).toEqual({ ok: true, id: sw.id, timestamp: 1700000000 });
  });

  it('fails closed: tampered body, stale or future timestamp, missing parts', () => {
    const headers = { 'webhook-id': sw.id, 'webhook-timestamp': sw.t, 'webhook-signature': sw.sig };
    expect(verifyHmac(SCHEMES.standardWebhooks, sw.secret, { rawBody: sw.body.replace('2', '3'), headers, now })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyHmac(SCHEMES.standardWebhooks, sw.secret, { rawBody: sw.body, headers, now: now + 10 * 60_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyHmac(SCHEMES.standardWebhooks, sw.secret, { rawBody: sw.body, headers, now: now - 10 * 60_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyHmac(SCHEMES.standardWebhooks, sw.secret, { rawBody: sw.body, headers: { ...headers, 'webhook-signature': undefined }, now })).toEqual({ ok: false, reason: 'missing-signature' });
    expect(verifyHmac(SCHEMES.standardWebhooks, sw.secret, { rawBody: sw.body, headers: { ...headers, 'webhook-timestamp': 'soon' }, now })).toEqual({ ok: false, reason: 'missing-timestamp' });
    expect(verifyHmac(SCHEMES.standardWebhooks, 'whsec_b3RoZXI=', { rawBody: sw.body, headers, now })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('accepts the Stripe-style test vector and rejects only too-old events', () => {
    const body = '{"id":"evt_test","type":"contact.created"}';
    const headers = { 'Stripe-Signature': 't=1700000000,v1=2afa9aaae88054489679832d19b01e871dd710f967a9e7f2492a119d9abaf0af' };
    expect(verifyHmac(SCHEMES.stripe, 'whsec_test_secret', { rawBody: body, headers, now })).toMatchObject({ ok: true, timestamp: 1700000000 });
    expect(verifyHmac(SCHEMES.stripe, 'whsec_test_secret', { rawBody: body, headers, now: now - 3600_000 })).toMatchObject({ ok: true });
    expect(verifyHmac(SCHEMES.stripe, 'whsec_test_secret', { rawBody: body, headers, now: now + 3600_000 })).toEqual({ ok: false, reason: 'stale' });
  });

  it('checks GitHub-style and Recruitee signatures over the body alone', () => {
    const body = Buffer.from('{"event_type":"candidate_moved"}');
    const hex = createHmac('sha256', 'shh').update(body).digest('hex');
    expect(verifyHmac(SCHEMES.github, 'shh', { rawBody: body, headers: { 'x-hub-signature-256': `sha256=${hex}`, 'x-github-delivery': 'd1' } })).toEqual({ ok: true, id: 'd1', timestamp: null });
    expect(verifyHmac(SCHEMES.github, 'shh', { rawBody: body, headers: { 'x-hub-signature-256': hex } })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyHmac(SCHEMES.recruitee, 'shh', { rawBody: body, headers: { 'X-Recruitee-Signature': hex } })).toMatchObject({ ok: true });
    expect(verifyHmac(SCHEMES.recruitee, 'other', { rawBody: body, headers: { 'X-Recruitee-Signature': hex } })).toEqual({ ok: false, reason: 'bad-signature' });
  });
});
