import { HighLevel } from '@gohighlevel/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/**
 * The official HighLevel SDK (3.1.0), pointed at the sandbox, works unchanged: it sends its own
 * headers (`Version: 2023-02-21`, `x-sdk-version`) and parses the answers it expects.
 */
let t: TestSandbox;
let ghl: HighLevel;

beforeAll(async () => {
  t = await startSandbox({ config: { rateLimit: { enabled: true } } });
  ghl = new HighLevel({ privateIntegrationToken: t.info.pit, logLevel: 'none' });
  ghl.getHttpClient().defaults.baseURL = t.url;
});
afterAll(() => t.close());

describe('official SDK against the sandbox', () => {
  it('lists, creates, upserts, searches and tags contacts', async () => {
    const list = await ghl.contacts.getContacts({ locationId: t.info.locationId, limit: 2 });
    expect(list.contacts).toHaveLength(2);

    const created = await ghl.contacts.createContact({ locationId: t.info.locationId, firstName: 'Sdk', email: 'sdk@example.com' });
    const id = created.contact?.id;
    expect(id).toMatch(/^[A-Za-z0-9]{20}$/);

    const upserted = await ghl.contacts.upsertContact({ locationId: t.info.locationId, email: 'SDK@example.com', lastName: 'User' });
    expect(upserted.new).toBe(false);
    expect(upserted.contact?.id).toBe(id);

    // The SDK types the search body as `{}` (the spec's gap); the sandbox takes the overlay's shape.
    const search: Record<string, unknown> = { locationId: t.info.locationId, pageLimit: 5, query: 'sdk@' };
    const found = (await ghl.contacts.searchContactsAdvanced(search)) as { contacts: Array<{ id: string }>; total: number };
    expect(found.total).toBe(1);
    expect(found.contacts[0]!.id).toBe(id);

    const tags = await ghl.contacts.addTags({ contactId: id! }, { tags: ['From-SDK'] });
    expect(tags.tags).toEqual(['from-sdk']);

    const got = await ghl.contacts.getContact({ contactId: id! });
    expect(got.contact).toMatchObject({ firstName: 'Sdk', lastName: 'User', tags: ['from-sdk'] });
  });

  it('surfaces the sandbox errors as the SDK typed errors', async () => {
    await expect(ghl.contacts.getContact({ contactId: 'doesNotExist00000000' })).rejects.toMatchObject({ statusCode: 400 });
    const foreign = t.info.locations[1]!.id;
    await expect(ghl.contacts.getContacts({ locationId: foreign })).rejects.toMatchObject({ statusCode: 403 });
  });
});
