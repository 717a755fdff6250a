import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardWebhookHeaders } from '../../../src/connectors/webhook/sign.js';
import { createRejectionLog } from '../../../src/engine/index.js';
import { startServerHarness, type ServerHarness } from './harness.js';
import { CONNECTIONS, SECRETS, signedDelivery, signFor, type ConnectorName } from './signed-deliveries.js';

/**
 * Issue 11, items 1-3, each with the exact input that was found to hurt a running server: a flood
 * of unsigned requests with 14 KB of junk headers (bounded storage, one answer for unknown ids),
 * signed deliveries holding `\u0000` and a lone surrogate on every connector (stored, never a
 * 500), and a signed payload nested 5,000 deep (a 400 that says so).
 */
let h: ServerHarness;

beforeAll(async () => {
  h = await startServerHarness({ bodyLimit: 256 * 1024 });
  for (const c of CONNECTIONS(h)) {
    const created = await h.call('POST', '/api/v1/connections', { body: c });
    expect(created.status, created.text).toBe(201);
  }
  await h.bridge.engine.startWorker({ concurrency: 2, pollingIntervalSeconds: 0.2 });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await h.bridge.db.query<{ n: string }>(sql, params);
  return Number(rows[0]!.n);
}

describe('unsigned requests cannot fill the database (item 1)', () => {
  const junk = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`x-junk-${i}`, 'j'.repeat(1000)]));
  const body = JSON.stringify({ type: 'user.created', data: { id: 'usr_junk' } });

  it('400 requests with ~14 KB of junk headers store a bounded, small log; the rest are counted', async () => {
    const before = await count('select count(*) as n from webhook_rejections');
    const answers = [];
    const started = Date.now();
    for (let wave = 0; wave < 40; wave++) {
      answers.push(...(await Promise.all(Array.from({ length: 10 }, () => h.call('POST', '/hooks/app-main', { raw: body, token: null, headers: junk })))));
    }
    expect(answers.every((a) => a.status === 401)).toBe(true);
    const rows = await count('select count(*) as n from webhook_rejections where connection_id = $1', ['app-main']);
    // a burst of 30 one by one (the default), one more each 2 s meanwhile, plus one summary row
    expect(rows - before).toBeLessThanOrEqual(30 + Math.ceil((Date.now() - started) / 2000) + 1);
    expect(rows - before).toBeGreaterThanOrEqual(2);
    const bytes = await count(`select coalesce(sum(pg_column_size(t.*)), 0) as n from webhook_rejections t where connection_id = 'app-main'`);
    expect(bytes).toBeLessThan(64 * 1024);
    const kept = await h.bridge.db.query<{ headers: Record<string, string> }>(`select headers from webhook_rejections where connection_id = 'app-main' and reason <> 'unrecorded' order by id desc limit 1`);
    expect(kept.rows[0]!.headers['x-junk-0']).toBeUndefined();
    expect(kept.rows[0]!.headers['(not kept)']).toMatch(/^\d+ headers, \d+ bytes$/);
    // the summary row catches up within a second or so: every refusal is accounted for
    await expect.poll(async () => {
      const { rows: s } = await h.bridge.db.query<{ detail: string }>(`select detail from webhook_rejections where connection_id = 'app-main' and reason = 'unrecorded' order by id desc limit 1`);
      return Number(/^(\d+)/.exec(s[0]?.detail ?? '')?.[1] ?? 0) + (rows - before - 1);
    }, { timeout: 5000 }).toBe(400);
    const metrics = await h.call('GET', '/metrics');
    const unrecorded = /ghlbridge_webhook_rejections_unrecorded_total\{connection="app-main"\} (\d+)/.exec(metrics.text);
    expect(Number(unrecorded?.[1])).toBe(400 - (rows - before - 1));
  }, 60_000);

  it('an unknown connection id gets the answer a bad signature gets, and stores nothing', async () => {
    const before = await count('select count(*) as n from webhook_rejections');
    const known = await h.call('POST', '/hooks/ct-main', { raw: body, token: null, headers: { 'x-connecteam-signature': 'f'.repeat(64) } });
    const unsigned = await h.call('POST', '/hooks/ct-main', { raw: body, token: null });
    const unknown = await h.call('POST', '/hooks/ct-other', { raw: body, token: null, headers: { 'x-connecteam-signature': 'f'.repeat(64) } });
    expect(known.status).toBe(401);
    expect([unsigned.status, unsigned.text]).toEqual([known.status, known.text]);
    expect([unknown.status, unknown.text]).toEqual([known.status, known.text]);
    // a stale but forged delivery tells nothing either: the window is checked after the signature
    const t = Math.floor(Date.now() / 1000) - 3600;
    const staleForged = await h.call('POST', '/hooks/app-main', { raw: body, token: null, headers: standardWebhookHeaders('whsec_b3RoZXItc2VjcmV0LW5vdC1vdXJzLTAxMjM0NTY3', { id: 'msg_f', timestamp: t, body }) });
    expect([staleForged.status, staleForged.text]).toEqual([known.status, known.text]);
    expect(await count('select count(*) as n from webhook_rejections where connection_id = $1', ['ct-other'])).toBe(0);
    expect(await count('select count(*) as n from webhook_rejections')).toBeGreaterThan(before);
  });

  it('refusals and replays older than the retention period are deleted', async () => {
    await h.bridge.db.query(`insert into webhook_rejections (connection_id, status, reason, headers, body_sha256, body_bytes, at) values ('app-main', 401, 'bad-signature', '{}', '', 0, now() - interval '20 days')`);
    await h.bridge.db.query(`insert into webhook_replays (connection_id, external_ids, headers, at) values ('app-main', '[]', '{}', now() - interval '20 days')`);
    const log = createRejectionLog(h.bridge.db, { retentionDays: 14 });
    await log.record({ connectionId: 'retention-probe', status: 401, reason: 'bad-signature', headers: {}, rawBody: Buffer.from('x') });
    expect(await count(`select count(*) as n from webhook_rejections where at < now() - interval '14 days'`)).toBe(0);
    expect(await count(`select count(*) as n from webhook_replays where at < now() - interval '14 days'`)).toBe(0);
  });
});

describe('NUL and lone surrogates in a signed delivery (item 2)', () => {
  const connectors: ConnectorName[] = ['webhook', 'recruitee', 'connecteam', 'ghl'];
  for (const connector of connectors) {
    it(`${connector}: accepted (2xx), the recipe's text has U+FFFD, the delivery kept escaped`, async () => {
      const { path, raw, headers } = signedDelivery(h, connector, { name: 'Ada\u0000 Love\ud800lace' });
      const answer = await h.call('POST', path, { raw, token: null, headers });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.json).toMatchObject({ ok: true, accepted: 1 });
      const { rows } = await h.bridge.db.query<{ payload: unknown; original_payload: string }>('select payload, original_payload from events order by id desc limit 1');
      expect(JSON.stringify(rows[0]!.payload)).toContain('Ada\ufffd Love\ufffdlace');
      expect(rows[0]!.original_payload).toContain('Ada\\u0000 Love\\ud800lace');
      expect(JSON.parse(rows[0]!.original_payload)).toBeTypeOf('object');
      const { rows: ids } = await h.bridge.db.query<{ id: string }>('select id from events order by id desc limit 1');
      const shown = await h.call('GET', `/api/v1/events/${ids[0]!.id}`);
      expect(shown.json.originalPayload).toBe(rows[0]!.original_payload);
    });
  }

  it('the recipe runs on the cleaned text: the GHL contact is written', async () => {
    const email = `nul-${randomUUID().slice(0, 8)}@hooks.test`;
    const { path, raw, headers } = signedDelivery(h, 'webhook', { name: 'Nul\u0000 Person', email });
    expect((await h.call('POST', path, { raw, token: null, headers })).status).toBe(200);
    await expect.poll(async () => (await h.bridge.db.query<{ status: string; error: unknown }>(`select r.status, r.error from runs r join events e on e.id = r.event_id where e.payload->'data'->>'email' = $1`, [email])).rows, { timeout: 15_000 }).toEqual([{ status: "succeeded", error: null }]);
    const [contact] = h.sb.sandbox.core.store.contactsByIdentity(h.sb.info.locationId, 'email', email);
    expect(contact?.firstName).toBe('Nul\ufffd');
  });
});

describe('deeply nested payloads (item 3)', () => {
  it('a signed body nested 5,000 deep → 400 naming the limit; the server goes on', async () => {
    const deep = `{"type":"user.created","data":{"id":"usr_deep","x":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    const signed = signFor(h, 'webhook', deep, 'msg_deep');
    const answer = await h.call('POST', '/hooks/app-main', { raw: deep, token: null, headers: signed });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ ok: false, error: 'too-deep', field: 'body' });
    expect(answer.json.message).toMatch(/deeper than 64 levels/);
    expect(await count(`select count(*) as n from events where external_id = 'msg_deep'`)).toBe(0);
    // unsigned, it is just unverified (a stranger learns nothing), and the server still answers
    expect((await h.call('POST', '/hooks/app-main', { raw: deep, token: null })).status).toBe(401);
    expect((await h.call('GET', '/healthz', { token: null })).status).toBe(200);
  });

  it('a Recruitee delivery nested deep inside its payload → 400, never a stack overflow', async () => {
    const deep = JSON.stringify({ id: 77, event_type: 'new_candidate', payload: { candidate: { id: 5 } } }).replace('"candidate"', `"x":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)},"candidate"`);
    const sig = createHmac('sha256', SECRETS.recruitee).update(deep).digest('hex');
    const answer = await h.call('POST', '/hooks/rc-main', { raw: deep, token: null, headers: { 'x-recruitee-signature': sig } });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'too-deep', field: 'body' });
  });
});
