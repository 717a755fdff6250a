import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { signedTestDelivery } from '../../webhook-test/sign.js';
import { defineRoute } from '../contract.js';
import { idText } from './shared.js';

/** What the ingress did with the delivery, event by event (the runs it enqueued, by recipe). */
async function storedEvents(db: Parameters<typeof runsOf>[0], events: Array<{ externalId: string; eventId: number; duplicate: boolean; runIds: number[] }>) {
  return Promise.all(events.map(async (e) => ({ id: e.eventId, externalId: e.externalId, duplicate: e.duplicate, runs: await runsOf(db, e.runIds) })));
}

async function runsOf(db: { query<R>(sql: string, params: unknown[]): Promise<{ rows: R[] }> }, ids: number[]) {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ id: string; recipe_id: string; recipe_version: number; status: string }>('select id, recipe_id, recipe_version, status from runs where id = any($1::bigint[]) order by id', [ids.map(String)]);
  return rows.map((r) => ({ id: Number(r.id), recipeId: r.recipe_id, recipeVersion: r.recipe_version, status: r.status }));
}

export default defineRoute({
  method: 'POST',
  path: '/api/v1/connections/{id}/webhook-test',
  summary: "Sign a payload as a webhook (your app) connection's scheme expects and deliver it to this server's own ingress; or, with deliver false, answer the signed request (for curl) without sending it",
  tag: 'connections',
  auth: true,
  params: z.strictObject({ id: idText }),
  body: z.strictObject({
    payload: z.record(z.string(), z.unknown()).describe('the JSON body your app would send'),
    type: z.string().trim().min(1).max(200).optional().describe("the event type, written at the connection's eventTypePath (default: the one in the payload)"),
    id: z.string().min(1).max(200).regex(/^[A-Za-z0-9._:-]+$/, { error: 'a message id: letters, digits, . _ : -' }).optional().describe('message id (default a new one: each send is a new event; repeat one to see a duplicate)'),
    deliver: z.boolean().default(true),
  }),
  responses: { 200: { description: '{ connectionId, scheme, delivered, status, answer, events: [{ id, externalId, duplicate, runs }] } or, not delivered, { request: { url, headers, body } }' } },
  async handler({ params, body, server, c }) {
    const { bridge } = server;
    const full = await bridge.connectionSource(params.id);
    if (!full) throw new ApiError(404, 'not-found', `no connection "${params.id}"`);
    const url = `${server.publicUrl()}/hooks/${encodeURIComponent(params.id)}`;
    const signed = signedTestDelivery(bridge.registry, full, body, url);
    if (!body.deliver) return c.json({ connectionId: params.id, scheme: signed.scheme, type: signed.type, source: full.source, delivered: false, request: signed.request });
    // the ingress itself, in process: the same verification, storage and runs as a delivery over HTTP
    const answer = await bridge.runtime.receiveWebhook(params.id, { rawBody: Buffer.from(signed.request.body), headers: signed.request.headers });
    return c.json({ connectionId: params.id, scheme: signed.scheme, type: signed.type, source: full.source, delivered: true, status: answer.status, answer: answer.body, events: await storedEvents(bridge.db, answer.events ?? []) });
  },
});
