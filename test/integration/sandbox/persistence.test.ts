import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxState } from '../../../src/sandbox/index.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';

/** `dataFile`: state survives a restart (contacts, OAuth tokens, PITs, settings, keys); file mode 0600. */

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let dir: string;
let dataFile: string;
let sb: TestSandbox | null = null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ghl-sandbox-persist-'));
  dataFile = join(dir, 'state.json');
});

afterEach(async () => {
  await sb?.close();
  sb = null;
  rmSync(dir, { recursive: true, force: true });
});

const mode = (file: string) => statSync(file).mode & 0o777;
const readState = () => JSON.parse(readFileSync(dataFile, 'utf8')) as SandboxState;

async function oauthTokens(s: TestSandbox): Promise<{ access_token: string; refresh_token: string }> {
  const form = new URLSearchParams({ client_id: s.info.clientId, redirect_uri: s.info.redirectUri, scope: 'contacts.readonly contacts.write', location_id: s.info.locationId });
  const page = await s.api('POST', '/v2/oauth/chooselocation', { raw: form.toString(), headers: FORM, token: null, version: null });
  expect(page.status).toBe(302);
  const code = new URL(page.headers.get('location')!).searchParams.get('code')!;
  const res = await s.api<{ access_token: string; refresh_token: string }>('POST', '/oauth/token', {
    raw: new URLSearchParams({ client_id: s.info.clientId, client_secret: s.info.clientSecret, grant_type: 'authorization_code', code }).toString(),
    headers: FORM,
    token: null,
    version: null,
  });
  expect(res.status).toBe(200);
  return res.body;
}

describe('dataFile', () => {
  it('writes the file with mode 0600 at start and shortly after each change', async () => {
    sb = await startSandbox({ dataFile });
    expect(existsSync(dataFile)).toBe(true);
    expect(mode(dataFile)).toBe(0o600);
    const before = Object.keys(readState().contacts).length;
    const res = await sb.api<{ contact: { id: string } }>('POST', '/contacts/', { body: { locationId: sb.info.locationId, email: 'saved@example.com' } });
    expect(res.status).toBe(201);
    // written within the save delay (50 ms), without closing
    const deadline = Date.now() + 2000;
    while (!readState().contacts[res.body.contact.id] && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(Object.keys(readState().contacts).length).toBe(before + 1);
    expect(readState().contacts[res.body.contact.id]!.email).toBe('saved@example.com');
    expect(mode(dataFile)).toBe(0o600);
    // the private webhook key is in the file, hence 0600
    expect(readState().webhookKeys?.ed25519.privateKey).toContain('PRIVATE KEY');
  });

  it('continues after a restart: contacts, OAuth tokens, PITs, settings and keys', async () => {
    const first = await startSandbox({ dataFile });
    sb = first;
    const created = await first.api<{ contact: { id: string } }>('POST', '/contacts/', { body: { locationId: first.info.locationId, firstName: 'Persist', email: 'persist@example.com', phone: '(415) 555-0123' } });
    expect(created.status).toBe(201);
    const contactId = created.body.contact.id;
    const ada = (await first.api<{ contacts: Array<{ id: string; email?: string }> }>('GET', `/_sandbox/locations/${first.info.locationId}/contacts`, { token: null })).body.contacts.find((c) => c.email === 'ada@example.com')!;
    expect((await first.api('DELETE', `/contacts/${ada.id}`)).status).toBe(200);
    const note = await first.api<{ note: { id: string } }>('POST', `/contacts/${contactId}/notes`, { body: { body: 'remember me' } });
    expect(note.status).toBe(201);
    const oauth = await oauthTokens(first);
    const pit = (await first.api<{ token: string }>('POST', '/_sandbox/pits', { body: { locationId: first.info.locationId, scopes: ['contacts.readonly'] }, token: null })).body.token;
    expect((await first.api('PUT', `/_sandbox/locations/${first.info.locationId}/settings`, { body: { duplicateCheck: 'phone' }, token: null })).status).toBe(200);
    const infoBefore = first.info;
    const keyBefore = (await first.api<{ pem: string }>('GET', '/_sandbox/webhooks/public-key', { token: null })).body.pem;
    await first.close();
    sb = null;
    expect(mode(dataFile)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['state.json']);

    const second = await startSandbox({ dataFile });
    sb = second;
    expect(second.url).not.toBe('');
    expect(second.info.locationId).toBe(infoBefore.locationId);
    expect(second.info.pit).toBe(infoBefore.pit);
    expect(second.info.clientId).toBe(infoBefore.clientId);
    expect(second.info.locations.find((l) => l.id === infoBefore.locationId)!.duplicateCheck).toBe('phone');

    const got = await second.api<{ contact: { id: string; firstName: string; phone: string } }>('GET', `/contacts/${contactId}`);
    expect(got.status).toBe(200);
    expect(got.body.contact).toMatchObject({ id: contactId, firstName: 'Persist', phone: '+14155550123' });
    expect((await second.api('GET', `/contacts/${ada.id}`)).status).toBe(400);
    const notes = await second.api<{ notes: Array<{ id: string; body: string }> }>('GET', `/contacts/${contactId}/notes`);
    expect(notes.body.notes).toEqual([expect.objectContaining({ id: note.body.note.id, body: 'remember me' })]);

    // OAuth access token, refresh token and the extra PIT still work
    expect((await second.api('GET', `/contacts/${contactId}`, { token: oauth.access_token })).status).toBe(200);
    expect((await second.api('GET', `/contacts/${contactId}`, { token: pit })).status).toBe(200);
    expect((await second.api('POST', '/contacts/', { token: pit, body: { locationId: infoBefore.locationId, firstName: 'x' } })).status).toBe(401);
    const refreshed = await second.api<{ access_token: string }>('POST', '/oauth/token', {
      raw: new URLSearchParams({ client_id: infoBefore.clientId, client_secret: infoBefore.clientSecret, grant_type: 'refresh_token', refresh_token: oauth.refresh_token }).toString(),
      headers: FORM,
      token: null,
      version: null,
    });
    expect(refreshed.status).toBe(200);
    expect((await second.api('GET', `/contacts/${contactId}`, { token: refreshed.body.access_token })).status).toBe(200);

    // the duplicate setting persisted: 'phone' refuses the saved phone
    const dup = await second.api<{ meta: { contactId: string; matchingField: string } }>('POST', '/contacts/', { body: { locationId: infoBefore.locationId, phone: '+14155550123' } });
    expect(dup.status).toBe(400);
    expect(dup.body.meta).toMatchObject({ contactId, matchingField: 'phone' });

    // webhook signing keys are kept, so receivers need not re-fetch the public key
    expect((await second.api<{ pem: string }>('GET', '/_sandbox/webhooks/public-key', { token: null })).body.pem).toBe(keyBefore);
  });

  it('rewrites a file left with looser permissions as 0600', async () => {
    sb = await startSandbox({ dataFile });
    await sb.close();
    sb = null;
    chmodSync(dataFile, 0o644);
    expect(mode(dataFile)).toBe(0o644);
    sb = await startSandbox({ dataFile });
    expect((await sb.api('POST', '/contacts/', { body: { locationId: sb.info.locationId, firstName: 'Again' } })).status).toBe(201);
    await sb.close();
    sb = null;
    expect(mode(dataFile)).toBe(0o600);
  });

  it('refuses to start from a file of an unknown state version', async () => {
    writeFileSync(dataFile, JSON.stringify({ version: 99 }), { mode: 0o600 });
    await expect(startSandbox({ dataFile })).rejects.toThrow(/unsupported state version/);
  });
});

describe('seeding is all or nothing', () => {
  it('a bad seed or reset answers 422 and leaves the state as it was', async () => {
    const t = await startSandbox();
    try {
      const count = async () => (await t.api<{ total: number }>('GET', `/_sandbox/locations/${t.info.locationId}/contacts`, { token: null })).body.total;
      const before = await count();
      const badSeed = { contacts: [{ locationId: t.info.locationId, email: 'kept-out@example.com' }, { locationId: 'nowhere', email: 'x@example.com' }] };
      const seed = await t.api<{ message: string[] }>('POST', '/_sandbox/seed', { body: badSeed, token: null });
      expect(seed.status).toBe(422);
      expect(seed.body.message[0]).toContain('contacts[1].locationId nowhere');
      expect(await count()).toBe(before);
      const reset = await t.api('POST', '/_sandbox/reset', { body: { companies: [{ name: 'A' }], locations: [{ companyId: 'missing', name: 'L' }] }, token: null });
      expect(reset.status).toBe(422);
      expect(await count()).toBe(before);
      expect((await t.api('GET', `/contacts/?locationId=${t.info.locationId}`)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
