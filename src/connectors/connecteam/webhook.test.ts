import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookPayloadError } from '../types.js';
import { connecteamConnection } from './connection.js';
import { toUserView } from './schemas.js';
import { parseConnecteamWebhook, resolveArchives, userStateHash, verifyConnecteam } from './webhook.js';

// sources.md §2.4 sample (user_created)
const sample = {
  requestId: '3f0c2a9e-1b7d-4c55-9a0e-2d4b6f8e1a01',
  company: 'your_company_id',
  activityType: 'User',
  eventTimestamp: 1731595939,
  evnetTimestamp: 1731595939,
  eventType: 'user_created',
  data: [
    {
      userId: 9100001, firstName: 'Sam', lastName: 'Rivera', phoneNumber: '+15550100300', email: 'sam.rivera@example.com', userType: 'user',
      isArchived: false, kioskCode: 'SR1234', createdAt: 1731595936, modifiedAt: 1731595938, archivedAt: null, lastLogin: 0, smartGroupsIds: [], invitedToBeManager: null,
      customFields: [
        { customFieldId: 6200001, name: 'Employment Start Date', type: 'date', value: '24/11/2024' },
        { customFieldId: 6200002, name: 'Direct manager', type: 'directManager', value: 7000001 },
      ],
    },
  ],
};

const conn = (config: Record<string, unknown> = {}, secrets: Record<string, string> = { apiKey: 'k', webhookSecret: 'whs' }) =>
  connecteamConnection({ id: 'ct', app: 'connecteam', source: 'connecteam', config, secrets });

function fieldOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    expect(e).toBeInstanceOf(WebhookPayloadError);
    return (e as WebhookPayloadError).field;
  }
}

describe('verifyConnecteam', () => {
  const body = JSON.stringify(sample);
  const hex = createHmac('sha256', 'whs').update(body).digest('hex');

  it('accepts the default X-Connecteam-Signature (hex HMAC-SHA256 of the raw body), any header case', () => {
    expect(verifyConnecteam(conn(), { rawBody: Buffer.from(body), headers: { 'X-Connecteam-Signature': hex }, now: 0 })).toMatchObject({ ok: true });
  });

  it('fails closed: wrong secret, tampered body, no header, no secret configured', () => {
    const wrong = createHmac('sha256', 'other').update(body).digest('hex');
    expect(verifyConnecteam(conn(), { rawBody: Buffer.from(body), headers: { 'x-connecteam-signature': wrong }, now: 0 })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyConnecteam(conn(), { rawBody: Buffer.from(body + ' '), headers: { 'x-connecteam-signature': hex }, now: 0 })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyConnecteam(conn(), { rawBody: Buffer.from(body), headers: {}, now: 0 })).toEqual({ ok: false, reason: 'missing-signature' });
    expect(verifyConnecteam(conn({}, { apiKey: 'k' }), { rawBody: Buffer.from(body), headers: { 'x-connecteam-signature': hex }, now: 0 })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('follows a configured scheme: another header, base64, a prefix', () => {
    const b64 = createHmac('sha256', 'whs').update(body).digest('base64');
    const c = conn({ signature: { header: 'X-Signature', encoding: 'base64', prefix: 'sha256=' } });
    expect(verifyConnecteam(c, { rawBody: Buffer.from(body), headers: { 'x-signature': `sha256=${b64}` }, now: 0 })).toMatchObject({ ok: true });
    expect(verifyConnecteam(c, { rawBody: Buffer.from(body), headers: { 'x-signature': b64 }, now: 0 })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyConnecteam(c, { rawBody: Buffer.from(body), headers: { 'x-connecteam-signature': hex }, now: 0 })).toEqual({ ok: false, reason: 'missing-signature' });
  });
});

describe('parseConnecteamWebhook', () => {
  it('turns the documented user_created envelope into one event with the normalized user', () => {
    const [event, ...rest] = parseConnecteamWebhook(sample);
    expect(rest).toEqual([]);
    expect(event!.externalId).toBe(`user:9100001:1731595938:${userStateHash(toUserView(sample.data[0]!))}`);
    expect(event!.externalId).toMatch(/^user:9100001:1731595938:[0-9a-f]{10}$/);
    expect(event!.type).toBe('user.created');
    expect(event!.payload).toEqual({
      user: {
        id: '9100001', userId: 9100001, firstName: 'Sam', lastName: 'Rivera', name: 'Sam Rivera', email: 'sam.rivera@example.com', phone: '+15550100300',
        userType: 'user', isArchived: false, kioskCode: 'SR1234', createdAt: 1731595936, modifiedAt: 1731595938,
        customFields: { 'Employment Start Date': '2024-11-24', 'Direct manager': 7000001 },
        customFieldsById: { '6200001': '2024-11-24', '6200002': 7000001 },
        customFieldList: sample.data[0]!.customFields,
      },
      event: { type: 'user_created', requestId: sample.requestId, company: 'your_company_id', timestamp: 1731595939 },
    });
  });

  it('coalesces a per-field user_updated burst: same userId+modifiedAt+state → the same externalId whatever the requestId', () => {
    const burst = ['a', 'b', 'c'].map((r, i) => ({ ...sample, eventType: 'user_updated', requestId: r, eventTimestamp: 1731596008 + i, data: [{ ...sample.data[0]!, modifiedAt: 1731596007, lastLogin: i }] }));
    const ids = burst.map((b) => parseConnecteamWebhook(b)[0]!.externalId);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^user:9100001:1731596007:[0-9a-f]{10}$/);
    expect(parseConnecteamWebhook(burst[0])[0]!.type).toBe('user.updated');
    // a later edit is a new event
    expect(parseConnecteamWebhook({ ...burst[0], data: [{ ...sample.data[0]!, modifiedAt: 1731596100 }] })[0]!.externalId).toMatch(/^user:9100001:1731596100:/);
  });

  it('keeps two different edits of the same second apart (modifiedAt is whole seconds)', () => {
    const at = (data: Record<string, unknown>) => parseConnecteamWebhook({ ...sample, eventType: 'user_updated', data: [{ ...sample.data[0]!, modifiedAt: 1731596007, ...data }] })[0]!.externalId;
    const first = at({ lastName: 'Rivers' });
    expect(at({ lastName: 'Riviera' })).not.toBe(first);
    expect(at({ customFields: [{ customFieldId: 6200002, name: 'Direct manager', type: 'directManager', value: 7000002 }] })).not.toBe(at({}));
    // the same state read back (no timestamps compared) is the same id
    expect(at({ lastName: 'Rivers', createdAt: 1, lastLogin: 99 })).toBe(first);
  });

  it('gives one event per user in data', () => {
    const two = { ...sample, data: [sample.data[0], { ...sample.data[0]!, userId: 9100002 }] };
    expect(parseConnecteamWebhook(two).map((e) => e.externalId.split(':').slice(0, 3).join(':'))).toEqual(['user:9100001:1731595938', 'user:9100002:1731595938']);
  });

  it('reads id-only archive, restore and delete events with ids naming the event', () => {
    const env = (eventType: string) => ({ ...sample, eventType, eventTimestamp: 1731600000, evnetTimestamp: 1731600000, data: [{ userId: 9100001 }] });
    expect(parseConnecteamWebhook(env('user_archived'))).toEqual([
      { externalId: 'user:9100001:archived:1731600000', type: 'user.archived', payload: { user: { id: '9100001', userId: 9100001 }, event: { type: 'user_archived', requestId: sample.requestId, company: 'your_company_id', timestamp: 1731600000 } } },
    ]);
    expect(parseConnecteamWebhook(env('user_restored'))[0]).toMatchObject({ externalId: 'user:9100001:user_restored:1731600000', type: 'user.restored' });
    expect(parseConnecteamWebhook(env('user_deleted'))[0]).toMatchObject({ externalId: 'user:9100001:user_deleted:1731600000', type: 'user.deleted' });
  });

  it('falls back to the misspelled evnetTimestamp', () => {
    const { eventTimestamp: _t, ...old } = sample;
    expect(parseConnecteamWebhook({ ...old, eventType: 'user_archived', data: [{ userId: 1 }] })[0]!.externalId).toBe('user:1:archived:1731595939');
  });

  it('ignores other features and unmapped user events (acknowledged, no event)', () => {
    expect(parseConnecteamWebhook({ ...sample, activityType: 'Form', eventType: 'form_submission', data: [{ formId: 1 }] })).toEqual([]);
    expect(parseConnecteamWebhook({ ...sample, eventType: 'user_promoted', data: [{ userId: 1 }] })).toEqual([]);
  });

  it('rejects malformed envelopes with WebhookPayloadError naming the field', () => {
    expect(fieldOf(() => parseConnecteamWebhook([]))).toBe('body');
    expect(fieldOf(() => parseConnecteamWebhook({ ...sample, eventType: undefined }))).toBe('eventType');
    expect(fieldOf(() => parseConnecteamWebhook({ ...sample, data: { userId: 1 } }))).toBe('data');
    expect(fieldOf(() => parseConnecteamWebhook({ ...sample, eventTimestamp: undefined, evnetTimestamp: undefined }))).toBe('eventTimestamp');
    expect(fieldOf(() => parseConnecteamWebhook({ ...sample, eventTimestamp: '1731595939' }))).toBe('eventTimestamp');
    expect(fieldOf(() => parseConnecteamWebhook({ ...sample, requestId: 5 }))).toBe('requestId');
    expect(fieldOf(() => parseConnecteamWebhook({ ...sample, data: ['x'] }))).toBe('data[0]');
    expect(fieldOf(() => parseConnecteamWebhook({ ...sample, data: [{ firstName: 'Sam' }] }))).toBe('data[0].userId');
    expect(fieldOf(() => parseConnecteamWebhook({ ...sample, data: [sample.data[0], { ...sample.data[0]!, userId: '9' }] }))).toBe('data[1].userId');
    expect(fieldOf(() => parseConnecteamWebhook({ ...sample, data: [{ ...sample.data[0]!, modifiedAt: 'yesterday' }] }))).toBe('data[0].modifiedAt');
    expect(fieldOf(() => parseConnecteamWebhook({ ...sample, data: [{ ...sample.data[0]!, customFields: [{ name: 'x' }] }] }))).toBe('data[0].customFields[0].customFieldId');
  });

  it('names an id-only archive by the archivedAt read back from Connecteam (as the poll does), eventTimestamp only when the read fails', async () => {
    const env = { ...sample, eventType: 'user_archived', eventTimestamp: 1731600005, evnetTimestamp: 1731600005, data: [{ userId: 9100001 }] };
    const archived = { ...sample.data[0]!, isArchived: true, archivedAt: 1731600004, modifiedAt: 1731600004 };
    const c = conn();
    const [read] = await resolveArchives(c, parseConnecteamWebhook(env), async () => archived);
    expect(read).toMatchObject({ externalId: 'user:9100001:archived:1731600004', type: 'user.archived', payload: { user: { userId: 9100001, archivedAt: 1731600004, email: 'sam.rivera@example.com' } } });
    const [failed] = await resolveArchives(c, parseConnecteamWebhook(env), async () => {
      throw new Error('503');
    });
    expect(failed!.externalId).toBe('user:9100001:archived:1731600005');
    // restored in the meantime: nothing to name it by but the delivery
    const [gone] = await resolveArchives(c, parseConnecteamWebhook(env), async () => ({ ...archived, isArchived: false, archivedAt: null }));
    expect(gone!.externalId).toBe('user:9100001:archived:1731600005');
    // other events are not read back
    let reads = 0;
    await resolveArchives(c, parseConnecteamWebhook(sample), async () => (reads++, archived));
    expect(reads).toBe(0);
  });
});
