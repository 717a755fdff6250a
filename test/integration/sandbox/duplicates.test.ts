import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DuplicateCheck } from '../../../src/sandbox/model.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/**
 * The location's "Allow Duplicate Contact" setting (ghl-api.md §2.6) over real HTTP:
 * POST /contacts/ refusals, upsert priority, createNewIfDuplicateAllowed, GET /contacts/search/duplicate.
 * Default seed, location A (US): Ada ada@example.com +14155550101, Grace grace@example.com
 * +14155550102, Alan alan@example.com (no phone).
 */

interface ContactBody {
  id: string;
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  locationId: string;
}

interface DuplicateError {
  statusCode: number;
  message: string;
  meta: { contactId: string; matchingField: string; contactName?: string };
}

let sb: TestSandbox;
let locationId: string;
let ids: { ada: string; grace: string; alan: string };

async function setCheck(duplicateCheck: DuplicateCheck, location = locationId): Promise<void> {
  const res = await sb.api<{ location: { duplicateCheck: string } }>('PUT', `/_sandbox/locations/${location}/settings`, { body: { duplicateCheck }, token: null });
  expect(res.status).toBe(200);
  expect(res.body.location.duplicateCheck).toBe(duplicateCheck);
}

async function allContacts(location = locationId): Promise<ContactBody[]> {
  const res = await sb.api<{ contacts: ContactBody[]; total: number }>('GET', `/_sandbox/locations/${location}/contacts`, { token: null });
  expect(res.status).toBe(200);
  return res.body.contacts;
}

async function getContact(id: string): Promise<ContactBody> {
  const res = await sb.api<{ contact: ContactBody }>('GET', `/contacts/${id}`);
  expect(res.status).toBe(200);
  return res.body.contact;
}

function create(body: Record<string, unknown>) {
  return sb.api<{ contact: ContactBody } & Partial<DuplicateError>>('POST', '/contacts/', { body: { locationId, ...body } });
}

function upsert(body: Record<string, unknown>) {
  return sb.api<{ new: boolean; contact: ContactBody; traceId: string }>('POST', '/contacts/upsert', { body: { locationId, ...body } });
}

function expectDuplicate(res: { status: number; body: unknown }, contactId: string, matchingField: 'email' | 'phone'): void {
  expect(res.status).toBe(400);
  const body = res.body as DuplicateError;
  expect(body.statusCode).toBe(400);
  expect(body.message).toBe('This location does not allow duplicated contacts.');
  expect(body.meta.contactId).toBe(contactId);
  expect(body.meta.matchingField).toBe(matchingField);
}

beforeEach(async () => {
  sb = await startSandbox();
  locationId = sb.info.locationId;
  const contacts = await allContacts();
  const byEmail = (e: string) => contacts.find((c) => c.email === e)!.id;
  ids = { ada: byEmail('ada@example.com'), grace: byEmail('grace@example.com'), alan: byEmail('alan@example.com') };
});

afterEach(async () => {
  await sb.close();
});

describe('POST /contacts/ with duplicates not allowed', () => {
  it('refuses an existing email, case-insensitively, with meta.contactId and meta.matchingField', async () => {
    expect(sb.info.locations[0]!.duplicateCheck).toBe('email-phone');
    const before = (await allContacts()).length;
    const res = await create({ firstName: 'Another', email: '  ADA@Example.COM ' });
    expectDuplicate(res, ids.ada, 'email');
    expect((res.body as DuplicateError).meta.contactName).toBe('Ada Lovelace');
    expect((await allContacts()).length).toBe(before);
  });

  it('matches a phone written differently as the same E.164 number', async () => {
    for (const phone of ['(415) 555-0101', '415.555.0101', '+1 415 555 0101', '14155550101']) {
      const res = await create({ firstName: 'Other', email: `other-${phone.replace(/\D/g, '')}@example.com`, phone });
      expectDuplicate(res, ids.ada, 'phone');
    }
  });

  it('reports the first field of the configured order when email and phone match different contacts', async () => {
    const body = { email: 'ada@example.com', phone: '+1 (415) 555-0102' };
    expectDuplicate(await create(body), ids.ada, 'email');
    await setCheck('phone-email');
    expectDuplicate(await create(body), ids.grace, 'phone');
  });

  it("'email' checks only the email: an existing phone is accepted", async () => {
    await setCheck('email');
    const res = await create({ email: 'new-one@example.com', phone: '(415) 555-0101' });
    expect(res.status).toBe(201);
    expect(res.body.contact.phone).toBe('+14155550101');
    expect(res.body.contact.id).not.toBe(ids.ada);
    expectDuplicate(await create({ email: 'Grace@Example.com' }), ids.grace, 'email');
  });

  it("'phone' checks only the phone: an existing email is accepted", async () => {
    await setCheck('phone');
    const res = await create({ email: 'ADA@example.com', phone: '+14155550199' });
    expect(res.status).toBe(201);
    expect(res.body.contact.email).toBe('ADA@example.com');
    expectDuplicate(await create({ phone: '415-555-0102' }), ids.grace, 'phone');
  });

  it("'off' allows duplicates: the same email and phone create a second contact", async () => {
    await setCheck('off');
    const res = await create({ firstName: 'Ada Two', email: 'ada@example.com', phone: '(415) 555-0101' });
    expect(res.status).toBe(201);
    expect(res.body.contact.id).not.toBe(ids.ada);
    const withEmail = (await allContacts()).filter((c) => c.email?.toLowerCase() === 'ada@example.com');
    expect(withEmail.map((c) => c.id).sort()).toEqual([ids.ada, res.body.contact.id].sort());
  });

  it('accepts a contact whose email and phone are both new', async () => {
    const res = await create({ email: 'brand-new@example.com', phone: '(415) 555-0188' });
    expect(res.status).toBe(201);
    expect(res.body.contact.phone).toBe('+14155550188');
  });

  it('refuses an unknown duplicateCheck value with 422', async () => {
    const res = await sb.api<{ statusCode: number; message: string[] }>('PUT', `/_sandbox/locations/${locationId}/settings`, { body: { duplicateCheck: 'name' }, token: null });
    expect(res.status).toBe(422);
    expect(res.body.message.join(' ')).toContain('duplicateCheck');
  });
});

describe('POST /contacts/upsert priority', () => {
  it("'email-phone': updates the email's contact, ignores the phone of another contact, creates nothing", async () => {
    const before = (await allContacts()).length;
    const res = await upsert({ email: 'ada@example.com', phone: '(415) 555-0102', firstName: 'Augusta' });
    expect(res.status).toBe(200);
    expect(res.body.new).toBe(false);
    expect(res.body.contact.id).toBe(ids.ada);
    expect(res.body.contact.firstName).toBe('Augusta');
    expect(res.body.contact.phone).toBe('+14155550101');
    expect(typeof res.body.traceId).toBe('string');
    const grace = await getContact(ids.grace);
    expect(grace.firstName).toBe('Grace');
    expect(grace.phone).toBe('+14155550102');
    expect((await allContacts()).length).toBe(before);
  });

  it("'phone-email': updates the phone's contact, ignores the email of another contact", async () => {
    await setCheck('phone-email');
    const before = (await allContacts()).length;
    const res = await upsert({ email: 'ada@example.com', phone: '(415) 555-0102', firstName: 'Amazing' });
    expect(res.status).toBe(200);
    expect(res.body.new).toBe(false);
    expect(res.body.contact.id).toBe(ids.grace);
    expect(res.body.contact.firstName).toBe('Amazing');
    expect(res.body.contact.email).toBe('grace@example.com');
    const ada = await getContact(ids.ada);
    expect(ada.firstName).toBe('Ada');
    expect(ada.email).toBe('ada@example.com');
    expect((await allContacts()).length).toBe(before);
  });

  it('falls back to the second field when the first does not match, and writes the new first field', async () => {
    const res = await upsert({ email: 'grace.h@example.com', phone: '415 555 0102' });
    expect(res.status).toBe(200);
    expect(res.body.new).toBe(false);
    expect(res.body.contact.id).toBe(ids.grace);
    expect(res.body.contact.email).toBe('grace.h@example.com');
  });

  it('matches the email case-insensitively', async () => {
    const res = await upsert({ email: 'ALAN@EXAMPLE.COM', lastName: 'M. Turing' });
    expect(res.status).toBe(200);
    expect(res.body.new).toBe(false);
    expect(res.body.contact.id).toBe(ids.alan);
    expect(res.body.contact.lastName).toBe('M. Turing');
  });

  it('creates a contact when nothing matches', async () => {
    const before = (await allContacts()).length;
    const res = await upsert({ email: 'nobody@example.com', phone: '(415) 555-0177' });
    expect(res.status).toBe(200);
    expect(res.body.new).toBe(true);
    expect(res.body.contact.phone).toBe('+14155550177');
    expect((await allContacts()).length).toBe(before + 1);
  });
});

describe('createNewIfDuplicateAllowed (§2.6 scenarios)', () => {
  it('scenario 1: true and the location allows duplicates → always creates', async () => {
    await setCheck('off');
    const before = (await allContacts()).length;
    const res = await upsert({ email: 'ada@example.com', phone: '+14155550101', firstName: 'Clone', createNewIfDuplicateAllowed: true });
    expect(res.status).toBe(200);
    expect(res.body.new).toBe(true);
    expect(res.body.contact.id).not.toBe(ids.ada);
    expect(res.body.contact.firstName).toBe('Clone');
    expect((await allContacts()).length).toBe(before + 1);
    expect((await getContact(ids.ada)).firstName).toBe('Ada');
  });

  it('scenario 2: true but the location disallows duplicates → ignored, normal upsert', async () => {
    const before = (await allContacts()).length;
    const res = await upsert({ email: 'ada@example.com', firstName: 'Still Ada', createNewIfDuplicateAllowed: true });
    expect(res.status).toBe(200);
    expect(res.body.new).toBe(false);
    expect(res.body.contact.id).toBe(ids.ada);
    expect(res.body.contact.firstName).toBe('Still Ada');
    expect((await allContacts()).length).toBe(before);
  });

  it('scenario 3: false or absent → normal upsert, whatever the setting', async () => {
    for (const [check, flag] of [['off', false], ['off', undefined], ['email-phone', false], ['phone', undefined]] as const) {
      await setCheck(check);
      const before = (await allContacts()).length;
      const body: Record<string, unknown> = { email: 'grace@example.com', phone: '+14155550102', city: `City ${check}` };
      if (flag !== undefined) body.createNewIfDuplicateAllowed = flag;
      const res = await upsert(body);
      expect(res.status, `${check}/${String(flag)}`).toBe(200);
      expect(res.body.new).toBe(false);
      expect(res.body.contact.id).toBe(ids.grace);
      expect((await allContacts()).length).toBe(before);
    }
  });
});

describe('GET /contacts/search/duplicate', () => {
  const find = (query: string) =>
    sb.api<{ contact: ContactBody | null; statusCode?: number }>('GET', `/contacts/search/duplicate?locationId=${locationId}&${query}`);

  it('finds by URL-encoded email (case-insensitive) and by URL-encoded phone', async () => {
    const byEmail = await find(`email=${encodeURIComponent('Ada@EXAMPLE.com')}`);
    expect(byEmail.status).toBe(200);
    expect(byEmail.body.contact?.id).toBe(ids.ada);
    const byPhone = await find(`number=${encodeURIComponent('+14155550102')}`);
    expect(byPhone.status).toBe(200);
    expect(byPhone.body.contact?.id).toBe(ids.grace);
    const byLocalPhone = await find(`number=${encodeURIComponent('(415) 555-0102')}`);
    expect(byLocalPhone.body.contact?.id).toBe(ids.grace);
  });

  it('finds an email containing +', async () => {
    const created = await create({ email: 'test+abc@gmail.com' });
    expect(created.status).toBe(201);
    const res = await find('email=test%2Babc%40gmail.com');
    expect(res.body.contact?.id).toBe(created.body.contact.id);
  });

  it('answers contact null when nothing matches', async () => {
    const res = await find('email=nobody%40example.com&number=%2B14155550000');
    expect(res.status).toBe(200);
    expect(res.body.contact).toBeNull();
  });

  it('follows the configured priority when email and phone match different contacts', async () => {
    const query = `email=ada%40example.com&number=${encodeURIComponent('+14155550102')}`;
    expect((await find(query)).body.contact?.id).toBe(ids.ada);
    await setCheck('phone-email');
    expect((await find(query)).body.contact?.id).toBe(ids.grace);
    // duplicates allowed: email first, then phone (spec text)
    await setCheck('off');
    expect((await find(query)).body.contact?.id).toBe(ids.ada);
  });

  it('answers 400 without email and number, 422 without locationId', async () => {
    const none = await sb.api<{ statusCode: number }>('GET', `/contacts/search/duplicate?locationId=${locationId}`);
    expect(none.status).toBe(400);
    expect(none.body.statusCode).toBe(400);
    const noLocation = await sb.api<{ statusCode: number; message: string[] }>('GET', '/contacts/search/duplicate?email=ada%40example.com');
    expect(noLocation.status).toBe(422);
    expect(noLocation.body.message).toContain('locationId should not be empty');
  });

  it('does not look into another location', async () => {
    const other = sb.info.locations[1]!.id;
    const res = await sb.api<{ contact: ContactBody | null }>('GET', `/contacts/search/duplicate?locationId=${other}&email=ada%40example.com`);
    expect(res.status).toBe(403);
  });
});
