import { createHash, createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NO_LEDGER, WebhookPayloadError, type ConnectorConnection, type SourceEvent, type WebhookDelivery } from '../types.js';
import { SCHEMES } from '../webhooks/index.js';
import { createAppFake, webhook, webhookConnection } from './index.js';
import { standardWebhookHeaders, stripeHeaders } from './sign.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OLD = 'whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZA==';
const stored = (config: Record<string, unknown> = {}, secrets: Record<string, string> = { signingSecret: SECRET }): ConnectorConnection => ({ id: 'app-main', app: 'webhook', source: 'my-app', config, secrets });
const T = 1_700_000_000;
const now = T * 1000 + 30_000;

function delivery(body: string, headers: Record<string, string>, at = now): WebhookDelivery {
  return { rawBody: Buffer.from(body), headers, now: at };
}

function parse(conn: ReturnType<typeof webhookConnection>, body: string, headers: Record<string, string>) {
  const d = delivery(body, headers);
  const verification = webhook.webhook!.verify(conn, d);
  if (!('ok' in verification) || !verification.ok) throw new Error(`not verified: ${JSON.stringify(verification)}`);
  return webhook.webhook!.parse(conn, JSON.parse(body), { ...d, verification }, NO_LEDGER) as SourceEvent[];
}

describe('webhook connection', () => {
  it('defaults to Standard Webhooks with type read from the payload', () => {
    const conn = webhookConnection(stored());
    expect(conn.schemeName).toBe('standard-webhooks');
    expect(conn.scheme).toEqual(SCHEMES.standardWebhooks);
    expect(conn.eventTypePath).toBe('type');
    expect(conn.source).toBe('my-app');
  });

  it('selects presets, custom schemes and a tolerance override', () => {
    expect(webhookConnection(stored({ scheme: 'stripe' }))).toMatchObject({ schemeName: 'stripe', idPath: 'id', scheme: SCHEMES.stripe });
    expect(webhookConnection(stored({ scheme: 'github' }))).toMatchObject({ schemeName: 'github', scheme: SCHEMES.github });
    const custom = webhookConnection(stored({ scheme: { signatureHeader: 'x-sig', format: 'bare', encoding: 'hex', signs: 'body', key: 'utf8', toleranceSeconds: 0 } }));
    expect(custom.schemeName).toBe('custom');
    expect(custom.scheme).toMatchObject({ signatureHeader: 'x-sig', rejectFuture: false });
    expect(webhookConnection(stored({ toleranceSeconds: 60 })).scheme.toleranceSeconds).toBe(60);
  });

  it('names the bad field and never echoes a secret', () => {
    expect(() => webhookConnection(stored({ scheme: 'paypal' }))).toThrow(/config\.scheme/);
    expect(() => webhookConnection(stored({ eventTypePath: 'a..b' }))).toThrow(/config\.eventTypePath/);
    expect(() => webhookConnection(stored({ sendUrl: 'not a url' }))).toThrow(/config\.sendUrl/);
    expect(() => webhookConnection(stored({ extra: 1 }))).toThrow(/config/);
    expect(() => webhookConnection(stored({}, {}))).toThrow(/secrets\.signingSecret: required/);
    try {
      webhookConnection(stored({ scheme: 'nope' }, { signingSecret: SECRET }));
    } catch (e) {
      expect(String(e)).not.toContain(SECRET);
    }
  });
});

describe('webhook verify and parse', () => {
  const body = '{"type":"user.created","timestamp":"2023-11-14T22:13:20Z","data":{"id":"usr_1","email":"ada@example.com"}}';

  it('accepts the reference test vector, keys the event on webhook-id and passes the payload through', () => {
    const conn = webhookConnection(stored());
    const vector = { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1700000000', 'webhook-signature': 'v1,hw6D+jquXiPwVQiZTwb2ek9FSrOofldv7tv4JVMsFUY=' };
    expect(webhook.webhook!.verify(conn, delivery('{"test": 2432232314}', vector))).toEqual({ ok: true, id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: T });
    const events = parse(conn, body, standardWebhookHeaders(SECRET, { id: 'msg_1', timestamp: T, body }));
    expect(events).toEqual([{ externalId: 'msg_1', type: 'user.created', payload: JSON.parse(body) }]);
  });

  it('accepts either secret of a rotation list, and rejects a third', () => {
    const conn = webhookConnection(stored({}, { signingSecret: `${SECRET}, ${OLD}` }));
    expect(conn.secrets).toEqual([SECRET, OLD]);
    expect(webhook.webhook!.verify(conn, delivery(body, standardWebhookHeaders(OLD, { id: 'm', timestamp: T, body })))).toMatchObject({ ok: true });
    expect(webhook.webhook!.verify(conn, delivery(body, standardWebhookHeaders(SECRET, { id: 'm', timestamp: T, body })))).toMatchObject({ ok: true });
    expect(webhook.webhook!.verify(conn, delivery(body, standardWebhookHeaders('whsec_dGhpcmQ=', { id: 'm', timestamp: T, body })))).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects stale and future timestamps whatever the secret', () => {
    const conn = webhookConnection(stored({}, { signingSecret: `${SECRET} ${OLD}` }));
    const headers = standardWebhookHeaders(SECRET, { id: 'm', timestamp: T, body });
    expect(webhook.webhook!.verify(conn, delivery(body, headers, T * 1000 + 301_000))).toEqual({ ok: false, reason: 'stale' });
    expect(webhook.webhook!.verify(conn, delivery(body, headers, T * 1000 - 301_000))).toEqual({ ok: false, reason: 'stale' });
  });

  it('reads the Stripe id from the body and the GitHub id from its delivery header', () => {
    const stripeBody = '{"id":"evt_test","type":"contact.created"}';
    const stripe = webhookConnection(stored({ scheme: 'stripe' }, { signingSecret: 'whsec_test_secret' }));
    const headers = { 'Stripe-Signature': 't=1700000000,v1=2afa9aaae88054489679832d19b01e871dd710f967a9e7f2492a119d9abaf0af' };
    expect(parse(stripe, stripeBody, headers)).toEqual([{ externalId: 'evt_test', type: 'contact.created', payload: JSON.parse(stripeBody) }]);
    expect(parse(stripe, stripeBody, stripeHeaders('whsec_test_secret', { id: 'evt_test', timestamp: T, body: stripeBody }))[0]!.externalId).toBe('evt_test');

    const gh = webhookConnection(stored({ scheme: 'github', eventTypePath: 'action' }, { signingSecret: 'shh' }));
    const ghBody = '{"action":"opened","number":1}';
    const sig = `sha256=${createHmac('sha256', 'shh').update(ghBody).digest('hex')}`;
    // X-GitHub-Delivery is not signed: the id is the hash of the signed bytes, so a captured body
    // replayed with a fresh delivery id is the same event (a duplicate), never a new one
    const [a] = parse(gh, ghBody, { 'x-hub-signature-256': sig, 'x-github-delivery': 'd-1' });
    const [b] = parse(gh, ghBody, { 'x-hub-signature-256': sig, 'x-github-delivery': 'd-2-replayed' });
    const [c] = parse(gh, ghBody, { 'x-hub-signature-256': sig });
    expect(a).toMatchObject({ externalId: `sha256:${createHash('sha256').update(ghBody).digest('hex')}`, type: 'opened' });
    expect(b!.externalId).toBe(a!.externalId);
    expect(c!.externalId).toBe(a!.externalId);
  });

  it('reads custom type, id and data paths', () => {
    const conn = webhookConnection(stored({ eventTypePath: 'meta.event', idPath: 'meta.ids[0]', dataPath: 'body' }));
    const events = conn && webhook.webhook!.parse(conn, { meta: { event: 'order.paid', ids: [42] }, body: { orderId: 7 } }, { ...delivery('', {}), verification: { ok: true, id: null, timestamp: T } }, NO_LEDGER);
    expect(events).toEqual([{ externalId: '42', type: 'order.paid', payload: { orderId: 7 } }]);
  });

  it('throws WebhookPayloadError naming the field for malformed bodies', () => {
    const conn = webhookConnection(stored({ idPath: 'eventId', dataPath: 'data' }));
    const p = (body: unknown, id: string | null = null) => webhook.webhook!.parse(conn, body, { ...delivery('', {}), verification: { ok: true, id, timestamp: T } }, NO_LEDGER);
    const field = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(WebhookPayloadError);
        return (e as WebhookPayloadError).field;
      }
      throw new Error('did not throw');
    };
    expect(field(() => p([1, 2]))).toBe('body');
    expect(field(() => p('text'))).toBe('body');
    expect(field(() => p(null))).toBe('body');
    expect(field(() => p({ data: {} }, 'm1'))).toBe('type');
    expect(field(() => p({ type: '  ', data: {} }, 'm1'))).toBe('type');
    expect(field(() => p({ type: 7, data: {} }, 'm1'))).toBe('type');
    expect(field(() => p({ type: 'x', data: {} }))).toBe('eventId');
    expect(field(() => p({ type: 'x', eventId: 'e', data: 'flat' }))).toBe('data');
    expect(field(() => p({ type: 'x', __proto__: { eventId: 'inherited' }, data: {} }))).toBe('eventId');
  });
});

describe('custom schemes: unsigned ids and the replay window', () => {
  const body = '{"type":"order.paid","id":"o1"}';
  const hmac = (data: string) => createHmac('sha256', 'erp-secret').update(data).digest('hex');
  const custom = (scheme: Record<string, unknown>, config: Record<string, unknown> = {}) =>
    webhookConnection(stored({ scheme: { signatureHeader: 'x-sig', format: 'bare', encoding: 'hex', key: 'utf8', ...scheme }, ...config }, { signingSecret: 'erp-secret' }));

  it('a body-only scheme without a timestamp header verifies (no replay window by default)', () => {
    const conn = custom({ signs: 'body' });
    expect(conn.scheme.toleranceSeconds).toBe(0);
    expect(webhook.webhook!.verify(conn, delivery(body, { 'x-sig': hmac(body) }))).toMatchObject({ ok: true });
    // with a timestamp header the 5-minute window stays the default
    expect(custom({ signs: 't.body', timestampHeader: 'x-t' }).scheme.toleranceSeconds).toBe(300);
  });

  it('refuses at config time what could never verify, naming the field', () => {
    expect(() => custom({ signs: 'body', toleranceSeconds: 300 })).toThrow(/config\.scheme\.toleranceSeconds: a replay window needs a timestampHeader/);
    expect(() => custom({ signs: 'body' }, { toleranceSeconds: 60 })).toThrow(/config\.toleranceSeconds: a replay window needs scheme\.timestampHeader/);
    expect(() => custom({ signs: 't.body' })).toThrow(/config\.scheme\.timestampHeader: required when signs is "t\.body"/);
    expect(() => custom({ signs: 'id.t.body', timestampHeader: 'x-t' })).toThrow(/config\.scheme\.idHeader: required/);
    expect(custom({ signs: 'body', toleranceSeconds: 0 }).scheme.toleranceSeconds).toBe(0);
  });

  it('an id header the scheme does not sign is not the dedupe key; a signed one is', () => {
    const conn = custom({ signs: 't.body', timestampHeader: 'x-t', idHeader: 'x-delivery' });
    const headers = (id: string) => ({ 'x-sig': hmac(`${T}.${body}`), 'x-t': String(T), 'x-delivery': id });
    const [first] = parse(conn, body, headers('del-1'));
    const [replayed] = parse(conn, body, headers('del-2'));
    expect(first!.externalId).toMatch(/^sha256:/);
    expect(replayed!.externalId).toBe(first!.externalId);
    // Standard Webhooks signs webhook-id: it stays the key
    const std = webhookConnection(stored());
    expect(parse(std, body, standardWebhookHeaders(SECRET, { id: 'msg_signed', timestamp: T, body }))[0]!.externalId).toBe('msg_signed');
  });
});

describe('secrets stay out of serialized connections', () => {
  it('JSON.stringify, spreads and inspect never show signing or send secrets', () => {
    const conn = webhookConnection(stored({ sendUrl: 'http://127.0.0.1:9/in' }, { signingSecret: `${SECRET} ${OLD}`, sendSecret: 'whsec_c2VuZC1zZWNyZXQtb25seQ==' }));
    expect(conn.secrets).toEqual([SECRET, OLD]);
    expect(conn.sendSecret).toBe('whsec_c2VuZC1zZWNyZXQtb25seQ==');
    for (const text of [JSON.stringify(conn), JSON.stringify({ ...conn }), inspect(conn, { depth: 5 }), String(Object.keys(conn))]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(OLD);
      expect(text).not.toContain('whsec_c2VuZC1zZWNyZXQtb25seQ==');
      expect(text).not.toMatch(/secret/i);
    }
    expect(() => {
      (conn as { sendSecret: string | undefined }).sendSecret = 'x';
    }).toThrow();
  });
});

describe('webhook.send and the fake app', () => {
  it('posts a signed Standard Webhooks message the app verifies; a retry of the same content is the same message', async () => {
    const app = await createAppFake({ secret: SECRET });
    try {
      const conn = webhookConnection(stored({ sendUrl: app.inboxUrl }));
      const send = webhook.actions.find((a) => a.id === 'webhook.send')!;
      const input = send.input.parse({ type: 'contact.view', data: { userId: 'usr_1' }, contactView: { contact: { id: 'c1' }, tasks: [] } });
      const first = await send.run({ conn }, input);
      const again = await send.run({ conn }, input);
      expect(first.status).toBe(200);
      expect(again.id).toBe(first.id);
      expect(app.received).toEqual([{ id: first.id, type: 'contact.view', data: { userId: 'usr_1', contactView: { contact: { id: 'c1' }, tasks: [] } } }]);
      expect(() => send.input.parse({ type: 'bad type!', data: {} })).toThrow();
      expect(() => send.input.parse({ type: 'x', data: {}, extra: 1 })).toThrow();
      const wrong = webhookConnection(stored({ sendUrl: app.inboxUrl }, { signingSecret: SECRET, sendSecret: OLD }));
      await expect(send.run({ conn: wrong }, input)).rejects.toThrow(/answered 401/);
    } finally {
      await app.close();
    }
  });

  it('uses the engine idempotency key for the message id: same key one message, another key a new message', async () => {
    const app = await createAppFake({ secret: SECRET });
    try {
      const conn = webhookConnection(stored({ sendUrl: app.inboxUrl }));
      const send = webhook.actions.find((a) => a.id === 'webhook.send')!;
      const input = send.input.parse({ type: 'contact.tag_added', data: { contactId: 'c1', tag: 'vip' } });
      // tag vip added (run step 1), a retry of that step, then removed and added again (another run)
      const first = await send.run({ conn, idempotencyKey: 'run:1:step:0' }, input);
      const retry = await send.run({ conn, idempotencyKey: 'run:1:step:0' }, input);
      const again = await send.run({ conn, idempotencyKey: 'run:2:step:0' }, input);
      expect(retry.id).toBe(first.id);
      expect(again.id).not.toBe(first.id);
      expect(app.received.map((m) => m.id)).toEqual([first.id, again.id]);
      // without a key (outside the engine) the content decides
      const plain = await send.run({ conn }, input);
      expect((await send.run({ conn }, input)).id).toBe(plain.id);
      expect(app.received).toHaveLength(3);
    } finally {
      await app.close();
    }
  });
});
