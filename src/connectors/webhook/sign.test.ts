import { describe, expect, it } from 'vitest';
import { SCHEMES, verifyHmac, type HmacScheme } from '../webhooks/index.js';
import { signForScheme, standardWebhookHeaders, stripeHeaders } from './sign.js';

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const T = 1_700_000_000;
const body = JSON.stringify({ type: 'user.created', data: { id: 'usr_1' } });
const input = { id: 'msg_1', timestamp: T, body };

// a different key (appending to base64 may decode to the same bytes)
const other = (secret: string) => (secret.startsWith('whsec_') ? `whsec_${Buffer.from('another key').toString('base64')}` : `${secret}x`);

const custom: Record<string, HmacScheme> = {
  'custom id.t.body base64': { signatureHeader: 'X-Sig', format: 'bare', encoding: 'base64', signs: 'id.t.body', key: 'utf8', timestampHeader: 'X-Time', idHeader: 'X-Id', toleranceSeconds: 300, rejectFuture: true },
  'custom prefixed t.body': { signatureHeader: 'x-sig', format: 'prefixed', prefix: 'hmac=', encoding: 'hex', signs: 't.body', key: 'utf8', timestampHeader: 'x-ts', toleranceSeconds: 300, rejectFuture: false },
  'custom stripe-format whsec key': { signatureHeader: 'x-s', format: 'stripe', encoding: 'hex', signs: 't.body', key: 'whsec-base64', toleranceSeconds: 300, rejectFuture: false },
};

describe('signForScheme', () => {
  const schemes: Array<[string, HmacScheme, string]> = [
    ['standard-webhooks', SCHEMES.standardWebhooks, WHSEC],
    ['stripe', SCHEMES.stripe, 'sk_test_secret'],
    ['github', SCHEMES.github, 'gh-secret'],
    ['recruitee', SCHEMES.recruitee, 'rc-secret'],
    ...Object.entries(custom).map(([name, s]): [string, HmacScheme, string] => [name, s, s.key === 'whsec-base64' ? WHSEC : 'plain-secret']),
  ];

  it.each(schemes)('%s: what it signs verifies, and not with another secret or another body', (_name, scheme, secret) => {
    const headers = signForScheme(scheme, secret, input);
    expect(verifyHmac(scheme, secret, { rawBody: body, headers, now: T * 1000 })).toMatchObject({ ok: true });
    expect(verifyHmac(scheme, other(secret), { rawBody: body, headers, now: T * 1000 })).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(verifyHmac(scheme, secret, { rawBody: `${body} `, headers, now: T * 1000 })).toMatchObject({ ok: false });
  });

  it('matches the dedicated Standard Webhooks and Stripe signers byte for byte', () => {
    expect(signForScheme(SCHEMES.standardWebhooks, WHSEC, input)).toEqual(standardWebhookHeaders(WHSEC, input));
    expect(signForScheme(SCHEMES.stripe, 'sk', input)).toEqual(stripeHeaders('sk', input));
  });

  it('carries the signed id where the scheme reads it (the receiver dedupes on it)', () => {
    const headers = signForScheme(custom['custom id.t.body base64']!, 'plain-secret', input);
    expect(headers).toMatchObject({ 'x-id': 'msg_1', 'x-time': String(T) });
    expect(verifyHmac(custom['custom id.t.body base64']!, 'plain-secret', { rawBody: body, headers, now: T * 1000 })).toEqual({ ok: true, id: 'msg_1', timestamp: T });
  });
});
