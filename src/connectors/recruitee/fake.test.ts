import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMES, verifyHmac } from '../webhooks/index.js';
import { createRecruiteeFake, type RecruiteeFake } from './fake.js';

/** A receiver that answers the statuses queued (then 200) and keeps what it got. */
let receiver: Server;
let receiverUrl: string;
const got: Array<{ body: string; headers: Record<string, unknown> }> = [];
const statuses: number[] = [];
let fake: RecruiteeFake;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(statuses.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  fake = await createRecruiteeFake({ companyId: 90001, token: 'tok', webhookSecret: 'whs', retryDelaysMs: [5, 5], eventTypes: { updated: { type: 'candidate_changed' }, requalified: null } });
});
afterAll(async () => {
  await fake.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('Recruitee fake', () => {
  it('answers 401 without the Bearer token and 404 for another company', async () => {
    expect((await fetch(`${fake.url}/c/90001/candidates`)).status).toBe(401);
    expect((await fetch(`${fake.url}/c/90002/candidates`, { headers: { authorization: 'Bearer tok' } })).status).toBe(404);
    expect(fake.requests.at(-1)).toEqual({ method: 'GET', path: '/c/90002/candidates', status: 404 });
  });

  it('sends the probe on registration, then signed envelopes; only 200 counts, others are retried', async () => {
    const probe = await fake.setWebhookUrl(receiverUrl);
    expect(probe).toMatchObject({ body: '{"test":true}', delivered: true });
    expect(got.at(-1)!.headers['x-recruitee-signature']).toBeUndefined();

    statuses.push(202, 500);
    const jane = await fake.addCandidate({ name: 'Jane Doe', emails: ['jane@example.com'], source: 'career_site' });
    // touched right after creation (its placement), as Recruitee does
    expect(String(jane.updated_at) > String(jane.created_at)).toBe(true);
    const delivery = fake.deliveries.at(-1)!;
    expect(delivery.attempts.map((a) => a.status)).toEqual([202, 500, 200]);
    expect(delivery.delivered).toBe(true);
    const last = got.at(-1)!;
    expect(verifyHmac(SCHEMES.recruitee, 'whs', { rawBody: Buffer.from(last.body), headers: last.headers as Record<string, string> })).toMatchObject({ ok: true });
    const env = JSON.parse(last.body);
    // each retry carries the same envelope id with attempt_count incremented (signed again), like the real app
    expect(delivery.bodies.map((b) => (JSON.parse(b) as { attempt_count: number }).attempt_count)).toEqual([1, 2, 3]);
    expect(new Set(delivery.bodies.map((b) => (JSON.parse(b) as { id: number }).id)).size).toBe(1);
    expect(got.slice(-3).map((g) => verifyHmac(SCHEMES.recruitee, 'whs', { rawBody: Buffer.from(g.body), headers: g.headers as Record<string, string> }).ok)).toEqual([true, true, true]);
    expect(env).toMatchObject({ event_type: 'new_candidate', event_subtype: 'career_site', attempt_count: 3, payload: { candidate: { id: jane.id, name: 'Jane Doe' }, company: { id: 90001, name: 'Acme BV' }, offers: [{ id: 800001 }] } });
    expect(Object.keys(env.payload.candidate).sort()).toEqual(['created_at', 'emails', 'id', 'name', 'phones', 'photo_thumb_url', 'referrer', 'source', 'updated_at']);

    statuses.push(500, 500, 500);
    await fake.updateCandidate(jane.id, { name: 'Jane Smith' });
    expect(fake.deliveries.at(-1)).toMatchObject({ delivered: false });
    expect(JSON.parse(got.at(-1)!.body).event_type).toBe('candidate_changed');

    const n = got.length;
    await fake.requalify(jane.id); // configured off
    await fake.updateCandidate(jane.id, { name: 'Jane S' }, { webhook: false });
    expect(got.length).toBe(n);
  });

  it('sends stage moves with from/to stages, and disqualifications with the reason', async () => {
    const c = await fake.addCandidate({ name: 'Mo Ve' });
    await fake.moveStage(c.id, 'Phone interview');
    expect(JSON.parse(got.at(-1)!.body)).toMatchObject({
      event_type: 'candidate_moved',
      event_subtype: 'stage_changed',
      payload: { details: { from_stage: { name: 'Applied', category: 'apply' }, to_stage: { name: 'Phone interview', category: 'phone_screen' } }, offer: { id: 800001, title: 'Sales Rep' } },
    });
    await fake.disqualify(c.id, 'Wrong skill set');
    expect(JSON.parse(got.at(-1)!.body)).toMatchObject({ event_subtype: 'disqualified', payload: { details: { disqualify_reason: 'Wrong skill set' } } });
    const hired = await fake.moveStage(c.id, 'hire');
    expect((hired.placements as Array<{ hired_at: string | null }>)[0]!.hired_at).not.toBeNull();
    await fake.deleteCandidate(c.id);
    expect(JSON.parse(got.at(-1)!.body)).toMatchObject({ event_type: 'candidate_deleted', payload: { candidate: { id: c.id } } });
    expect(fake.state().candidates.find((x) => x.id === c.id)).toBeUndefined();
  });

  it('moves a stage through the API and refuses bad bodies', async () => {
    const c = await fake.addCandidate({ name: 'Api Move' });
    const placementId = (c.placements as Array<{ id: number }>)[0]!.id;
    const h = { authorization: 'Bearer tok', 'content-type': 'application/json' };
    const res = await fetch(`${fake.url}/c/90001/placements/${placementId}/change_stage`, { method: 'PATCH', headers: h, body: JSON.stringify({ stage_id: 9000005 }) });
    expect(res.status).toBe(200);
    await fake.idle();
    expect(JSON.parse(got.at(-1)!.body)).toMatchObject({ payload: { details: { to_stage: { id: 9000005, category: 'interview' } } } });
    expect((await fetch(`${fake.url}/c/90001/candidates/${c.id}/notes`, { method: 'POST', headers: h, body: '{"body":"x"}' })).status).toBe(422);
    expect((await fetch(`${fake.url}/c/90001/candidates`, { method: 'POST', headers: h, body: '{' })).status).toBe(400);
    expect((await fetch(`${fake.url}/c/90001/search/new/candidates?filters_json=${encodeURIComponent('[{"field":"nope"}]')}`, { headers: h })).status).toBe(400);
  });
});
