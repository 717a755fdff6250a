import { createPublicKey } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookVerifier, type WebhookVerification, type WebhookVerifier } from '../../../src/ghl/webhooks/index.js';
import type { SandboxOptions } from '../../../src/sandbox/index.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/**
 * The webhook verifier on a real receiver on loopback, fed by the sandbox's signed deliveries:
 * every key form, Ed25519 and legacy RSA, tampering, replays and the timestamp window.
 */

interface Delivery {
  raw: Buffer;
  headers: IncomingHttpHeaders;
  result: WebhookVerification;
}

interface Receiver {
  url: string;
  deliveries: Delivery[];
  close(): Promise<void>;
}

interface PublicKeys {
  pem: string;
  rawBase64: string;
  rsaPem: string | null;
}

let sb: TestSandbox;
let receiver: Receiver;

/** A webhook endpoint: verifies each delivery, answers 200 or 401 with the reason. */
async function startReceiver(verifier: () => WebhookVerifier): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      void verifier()
        .verify({ rawBody: raw, headers: req.headers })
        .then((result) => {
          deliveries.push({ raw, headers: req.headers, result });
          res.writeHead(result.ok ? 200 : 401, { 'content-type': 'text/plain' }).end(result.ok ? 'ok' : result.reason);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ghl/webhooks`,
    deliveries,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** Starts the sandbox and a receiver whose verifier is built from the sandbox's public keys. */
async function setup(build: (keys: PublicKeys) => WebhookVerifier, options: SandboxOptions = {}): Promise<PublicKeys> {
  sb = await startSandbox(options);
  const keys = (await sb.api<PublicKeys>('GET', '/_sandbox/webhooks/public-key', { token: null })).body;
  const verifier = build(keys);
  receiver = await startReceiver(() => verifier);
  const res = await sb.api('PUT', `/_sandbox/apps/${sb.info.clientId}`, { body: { webhookUrl: receiver.url }, token: null });
  expect(res.status).toBe(200);
  return keys;
}

/** Installs the app on the location (INSTALL) and creates a contact there (ContactCreate). */
async function produceEvents(): Promise<void> {
  const form = new URLSearchParams({ client_id: sb.info.clientId, redirect_uri: sb.info.redirectUri, scope: 'contacts.readonly contacts.write', state: 's', location_id: sb.info.locationId });
  const install = await sb.api('POST', '/v2/oauth/chooselocation', { raw: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, token: null, version: null });
  expect(install.status).toBe(302);
  await sb.sandbox.core.webhooks.idle();
  const created = await sb.api('POST', '/contacts/', { body: { locationId: sb.info.locationId, email: 'hook@example.com', firstName: 'Hook' } });
  expect(created.status).toBe(201);
  await sb.sandbox.core.webhooks.idle();
}

const typesOf = (deliveries: Delivery[]) => deliveries.map((d) => (d.result.ok ? d.result.event.type : d.result.reason));

/** Sends a captured delivery to the receiver again, over HTTP. */
async function redeliver(delivery: Delivery, headers: Record<string, string>, raw: Buffer = delivery.raw): Promise<{ status: number; text: string }> {
  const res = await fetch(receiver.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
  return { status: res.status, text: await res.text() };
}

afterEach(async () => {
  await sb.close();
  await receiver.close();
});

describe('Ed25519 deliveries from the sandbox', () => {
  const forms: Array<[string, (k: PublicKeys) => string]> = [
    ['PEM', (k) => k.pem],
    ['raw 32 bytes base64', (k) => k.rawBase64],
    ['raw 32 bytes hex', (k) => Buffer.from(k.rawBase64, 'base64').toString('hex')],
    ['SPKI DER base64', (k) => createPublicKey(k.pem).export({ format: 'der', type: 'spki' }).toString('base64')],
  ];

  for (const [name, form] of forms) {
    it(`verify with the key as ${name}`, async () => {
      await setup((keys) => createWebhookVerifier({ publicKey: form(keys) }));
      await produceEvents();
      expect(typesOf(receiver.deliveries)).toEqual(['INSTALL', 'ContactCreate']);
      const created = receiver.deliveries[1]!.result;
      expect(created).toMatchObject({ ok: true, scheme: 'ed25519', event: { type: 'ContactCreate', locationId: sb.info.locationId, email: 'hook@example.com', appId: sb.info.clientId.split('-')[0] } });
      const log = await sb.api<{ deliveries: Array<{ state: string }> }>('GET', '/_sandbox/webhooks/deliveries', { token: null });
      expect(log.body.deliveries.map((d) => d.state)).toEqual(['delivered', 'delivered']);
    });
  }

  it('a replayed delivery, a tampered body and a missing header are refused over HTTP', async () => {
    await setup((keys) => createWebhookVerifier({ publicKey: keys.pem }));
    await produceEvents();
    const original = receiver.deliveries[1]!;
    const signature = String(original.headers['x-ghl-signature']);
    expect(await redeliver(original, { 'x-ghl-signature': signature })).toEqual({ status: 401, text: 'replay' });
    const tampered = Buffer.from(original.raw.toString('utf8').replace('hook@example.com', 'evil@example.com'));
    expect(await redeliver(original, { 'x-ghl-signature': signature }, tampered)).toEqual({ status: 401, text: 'bad-signature' });
    expect(await redeliver(original, {})).toEqual({ status: 401, text: 'missing-signature' });
  });

  it('a verifier with another key refuses every delivery, and the sandbox records the refusals', async () => {
    const other = await startSandbox();
    const otherKey = (await other.api<PublicKeys>('GET', '/_sandbox/webhooks/public-key', { token: null })).body.pem;
    await other.close();
    await setup(() => createWebhookVerifier({ publicKey: otherKey }));
    await produceEvents();
    expect(typesOf(receiver.deliveries)).toEqual(['bad-signature', 'bad-signature']);
    const log = await sb.api<{ deliveries: Array<{ state: string; attempts: Array<{ status: number }> }> }>('GET', '/_sandbox/webhooks/deliveries', { token: null });
    expect(log.body.deliveries.map((d) => [d.state, d.attempts[0]!.status])).toEqual([['failed', 401], ['failed', 401]]);
  });

  it('with no key configured every delivery is refused (fail closed)', async () => {
    await setup(() => createWebhookVerifier({ publicKey: process.env.GHL_BRIDGE_UNSET_WEBHOOK_KEY }));
    await produceEvents();
    expect(typesOf(receiver.deliveries)).toEqual(['missing-key', 'missing-key']);
  });

  it('deliveries outside the timestamp window are stale', async () => {
    await setup((keys) => createWebhookVerifier({ publicKey: keys.pem, toleranceMs: 60_000, now: () => Date.now() + 120_000 }));
    await produceEvents();
    expect(typesOf(receiver.deliveries)).toEqual(['stale', 'stale']);
  });
});

describe('legacy RSA x-wh-signature', () => {
  it('verifies with the RSA key when only x-wh-signature is present, and not without the key', async () => {
    const keys = await setup((k) => createWebhookVerifier({ publicKey: k.pem, legacyRsaPublicKey: k.rsaPem }), { config: { webhooks: { legacySignature: true } } });
    expect(keys.rsaPem).toContain('BEGIN PUBLIC KEY');
    await produceEvents();
    expect(typesOf(receiver.deliveries)).toEqual(['INSTALL', 'ContactCreate']);
    const original = receiver.deliveries[1]!;
    expect(typeof original.headers['x-wh-signature']).toBe('string');

    // the same bytes with only the legacy header: RSA decides (a fresh verifier, so no replay)
    const rsaOnly = createWebhookVerifier({ publicKey: keys.pem, legacyRsaPublicKey: keys.rsaPem });
    const legacyHeaders = { 'x-wh-signature': String(original.headers['x-wh-signature']) };
    expect(await rsaOnly.verify({ rawBody: original.raw, headers: legacyHeaders })).toMatchObject({ ok: true, scheme: 'rsa-sha256', event: { type: 'ContactCreate' } });
    const noRsaKey = createWebhookVerifier({ publicKey: keys.pem });
    expect(await noRsaKey.verify({ rawBody: original.raw, headers: legacyHeaders })).toEqual({ ok: false, reason: 'missing-signature' });
    const altered = Buffer.from(original.raw.toString('utf8').replace('Hook', 'Hack'));
    expect(await rsaOnly.verify({ rawBody: altered, headers: legacyHeaders })).toEqual({ ok: false, reason: 'bad-signature' });
  });
});
