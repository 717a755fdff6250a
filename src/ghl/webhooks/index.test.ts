import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWebhookVerifier, MemorySeenStore, type SeenStore, type WebhookVerifierOptions } from './index.js';

const ed = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const PEM = ed.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const RSA_PEM = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const NOW = Date.parse('2026-06-01T12:00:00.000Z');

let counter = 0;
function payload(extra: Record<string, unknown> = {}): string {
  counter++;
  return JSON.stringify({ type: 'ContactCreate', locationId: 'loc1', id: `c${counter}`, appId: 'app1', timestamp: new Date(NOW).toISOString(), webhookId: `wh-${counter}`, ...extra });
}
const edSign = (raw: string) => sign(null, Buffer.from(raw), ed.privateKey).toString('base64');
const rsaSign = (raw: string) => sign('sha256', Buffer.from(raw), rsa.privateKey).toString('base64');

function verifier(options: Partial<WebhookVerifierOptions> = {}) {
  return createWebhookVerifier({ publicKey: PEM, now: () => NOW, ...options });
}

describe('createWebhookVerifier', () => {
  it('accepts an Ed25519-signed delivery and returns the event', async () => {
    const raw = payload();
    const result = await verifier().verify({ rawBody: Buffer.from(raw), headers: { 'x-ghl-signature': edSign(raw), 'content-type': 'application/json' } });
    expect(result).toEqual({ ok: true, scheme: 'ed25519', event: JSON.parse(raw) as unknown });
  });

  it('reads headers case-insensitively from records, arrays and fetch Headers; rawBody may be a string', async () => {
    const v = verifier();
    const a = payload();
    expect((await v.verify({ rawBody: a, headers: { 'X-GHL-Signature': edSign(a) } })).ok).toBe(true);
    const b = payload();
    expect((await v.verify({ rawBody: new Uint8Array(Buffer.from(b)), headers: { 'x-ghl-signature': [edSign(b)] } })).ok).toBe(true);
    const c = payload();
    expect((await v.verify({ rawBody: Buffer.from(c), headers: new Headers({ 'x-ghl-signature': edSign(c) }) })).ok).toBe(true);
  });

  it('verifies the exact bytes: a re-serialised or altered body is refused', async () => {
    const raw = payload({ name: 'Zoë' });
    const signature = edSign(raw);
    const v = verifier();
    const reformatted = JSON.stringify(JSON.parse(raw), null, 1);
    expect(await v.verify({ rawBody: reformatted, headers: { 'x-ghl-signature': signature } })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await v.verify({ rawBody: raw.replace('loc1', 'loc2'), headers: { 'x-ghl-signature': signature } })).toEqual({ ok: false, reason: 'bad-signature' });
    // the untouched delivery still passes (the failures did not burn its id)
    expect((await v.verify({ rawBody: raw, headers: { 'x-ghl-signature': signature } })).ok).toBe(true);
  });

  it('refuses a signature by another key, garbage and a wrong-length signature', async () => {
    const raw = payload();
    const other = sign(null, Buffer.from(raw), generateKeyPairSync('ed25519').privateKey).toString('base64');
    for (const signature of [other, 'not base64!', Buffer.alloc(63).toString('base64'), edSign(raw).slice(0, -4)]) {
      expect(await verifier().verify({ rawBody: raw, headers: { 'x-ghl-signature': signature } })).toEqual({ ok: false, reason: 'bad-signature' });
    }
  });

  it('fails closed: no key, no signature header, an empty header', async () => {
    const raw = payload();
    expect(await createWebhookVerifier({ publicKey: undefined }).verify({ rawBody: raw, headers: { 'x-ghl-signature': edSign(raw) } })).toEqual({ ok: false, reason: 'missing-key' });
    expect(await verifier().verify({ rawBody: raw, headers: {} })).toEqual({ ok: false, reason: 'missing-signature' });
    expect(await verifier().verify({ rawBody: raw, headers: { 'x-ghl-signature': '  ' } })).toEqual({ ok: false, reason: 'missing-signature' });
  });

  it('throws at creation for a key it cannot read, instead of accepting anything', () => {
    expect(() => createWebhookVerifier({ publicKey: 'nonsense' })).toThrow(TypeError);
    expect(() => createWebhookVerifier({ publicKey: PEM, legacyRsaPublicKey: PEM })).toThrow(/expected rsa/);
    expect(() => createWebhookVerifier({ publicKey: PEM, toleranceMs: 0 })).toThrow(/toleranceMs/);
  });

  describe('legacy x-wh-signature (RSA-SHA256)', () => {
    it('is accepted only with a configured RSA key', async () => {
      const raw = payload();
      const headers = { 'x-wh-signature': rsaSign(raw) };
      expect(await verifier().verify({ rawBody: raw, headers })).toEqual({ ok: false, reason: 'missing-signature' });
      const result = await verifier({ legacyRsaPublicKey: RSA_PEM }).verify({ rawBody: raw, headers });
      expect(result).toMatchObject({ ok: true, scheme: 'rsa-sha256', event: { webhookId: JSON.parse(raw).webhookId as string } });
    });

    it('refuses a bad RSA signature; a bad Ed25519 signature is not rescued by a good RSA one', async () => {
      const raw = payload();
      const v = verifier({ legacyRsaPublicKey: RSA_PEM });
      expect(await v.verify({ rawBody: raw, headers: { 'x-wh-signature': rsaSign(`${raw} `) } })).toEqual({ ok: false, reason: 'bad-signature' });
      expect(await v.verify({ rawBody: raw, headers: { 'x-ghl-signature': edSign(`${raw} `), 'x-wh-signature': rsaSign(raw) } })).toEqual({ ok: false, reason: 'bad-signature' });
      expect((await v.verify({ rawBody: raw, headers: { 'x-ghl-signature': edSign(raw), 'x-wh-signature': 'ignored' } })).ok).toBe(true);
    });
  });

  describe('payload checks (after the signature)', () => {
    const check = async (raw: string, options: Partial<WebhookVerifierOptions> = {}) => verifier(options).verify({ rawBody: raw, headers: { 'x-ghl-signature': edSign(raw) } });

    it('malformed: not JSON, not an object, no type', async () => {
      for (const raw of ['{not json', '[1,2]', '"text"', JSON.stringify({ timestamp: new Date(NOW).toISOString(), webhookId: 'x' })]) {
        expect(await check(raw)).toEqual({ ok: false, reason: 'malformed' });
      }
    });

    it('missing or unreadable timestamp', async () => {
      expect(await check(payload({ timestamp: undefined }))).toEqual({ ok: false, reason: 'missing-timestamp' });
      expect(await check(payload({ timestamp: 'yesterday-ish' }))).toEqual({ ok: false, reason: 'missing-timestamp' });
      expect(await check(payload({ timestamp: null }))).toEqual({ ok: false, reason: 'missing-timestamp' });
    });

    it('stale: outside the window in the past or the future; the edge is inside', async () => {
      const at = (ms: number) => new Date(NOW + ms).toISOString();
      expect(await check(payload({ timestamp: at(-300_001) }))).toEqual({ ok: false, reason: 'stale' });
      expect(await check(payload({ timestamp: at(300_001) }))).toEqual({ ok: false, reason: 'stale' });
      expect((await check(payload({ timestamp: at(-300_000) }))).ok).toBe(true);
      expect(await check(payload({ timestamp: at(-60_000) }), { toleranceMs: 30_000 })).toEqual({ ok: false, reason: 'stale' });
    });

    it('reads epoch timestamps in ms, in seconds and as digit strings', async () => {
      expect((await check(payload({ timestamp: NOW - 1_000 }))).ok).toBe(true);
      expect((await check(payload({ timestamp: Math.floor(NOW / 1000) }))).ok).toBe(true);
      expect((await check(payload({ timestamp: String(NOW) }))).ok).toBe(true);
      expect(await check(payload({ timestamp: NOW - 3_600_000 }))).toEqual({ ok: false, reason: 'stale' });
    });

    it('missing webhookId', async () => {
      expect(await check(payload({ webhookId: undefined }))).toEqual({ ok: false, reason: 'missing-webhook-id' });
      expect(await check(payload({ webhookId: 42 }))).toEqual({ ok: false, reason: 'missing-webhook-id' });
    });
  });

  describe('replay guard', () => {
    it('accepts a webhookId once; the claim lasts twice the tolerance', async () => {
      const claims: Array<[string, number]> = [];
      const memory = new MemorySeenStore({ now: () => NOW });
      const seen: SeenStore = { claim: (id, ttl) => (claims.push([id, ttl]), memory.claim(id, ttl)) };
      const v = verifier({ seen, toleranceMs: 60_000 });
      const raw = payload();
      const headers = { 'x-ghl-signature': edSign(raw) };
      expect((await v.verify({ rawBody: raw, headers })).ok).toBe(true);
      expect(await v.verify({ rawBody: raw, headers })).toEqual({ ok: false, reason: 'replay' });
      expect(claims).toEqual([[JSON.parse(raw).webhookId as string, 120_000], [JSON.parse(raw).webhookId as string, 120_000]]);
    });

    it('a delivery refused for another reason does not claim its id', async () => {
      const claims: string[] = [];
      const seen: SeenStore = { claim: async (id) => (claims.push(id), true) };
      const raw = payload({ timestamp: new Date(NOW - 3_600_000).toISOString() });
      expect(await verifier({ seen }).verify({ rawBody: raw, headers: { 'x-ghl-signature': edSign(raw) } })).toEqual({ ok: false, reason: 'stale' });
      expect(claims).toEqual([]);
    });

    it('a failing seen store throws (fail closed) rather than accepting', async () => {
      const seen: SeenStore = { claim: () => Promise.reject(new Error('db down')) };
      const raw = payload();
      await expect(verifier({ seen }).verify({ rawBody: raw, headers: { 'x-ghl-signature': edSign(raw) } })).rejects.toThrow('db down');
    });
  });
});
