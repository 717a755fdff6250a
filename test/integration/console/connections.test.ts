/**
 * The console's connections view in a real browser: a "your app" connection added with the form
 * generated from the connector's schema (a missing secret shown at its input first), tested,
 * removed after typing its id; a GHL OAuth location offers re-authorization through a single-use
 * link; the pages pass axe and log no error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectNoPageErrors, openConsole, screenshot, type ConsoleBrowser } from '../../support/browser.js';
import { startServerHarness, type ServerHarness } from '../server/harness.js';

const SIGNING_SECRET = 'whsec_Y29uc29sZS1jb25uZWN0aW9ucy1icm93c2VyLXRlc3Q=';

describe('console connections (Chromium)', () => {
  let h: ServerHarness;
  let b: ConsoleBrowser;
  beforeAll(async () => {
    h = await startServerHarness({ recipes: [] });
    expect((await h.call('POST', '/api/v1/connections', { body: { id: 'ghl-main', app: 'ghl-location', name: 'Dental clinic', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } } })).status).toBe(201);
    expect((await h.call('POST', '/api/v1/connections', { body: { id: 'ghl-oauth', app: 'ghl-location', name: 'OAuth location', config: { locationId: 'loc-oauth', auth: 'oauth' } } })).status).toBe(201);
    b = await openConsole(h.url, '/connections');
  });
  afterAll(async () => {
    await b?.close();
    await h?.close();
  });

  it('lists the connections with their auth kind and status', async () => {
    const { page } = b;
    const table = page.getByRole('table', { name: 'Connections' });
    await table.getByText('ghl-main').waitFor();
    expect(await table.getByRole('row').count()).toBe(3);
    await expect.poll(() => table.getByRole('row').nth(1).textContent()).toContain('Private Integration Token');
    expect(await table.getByRole('row').nth(2).textContent()).toContain('not connected yet');
    await expectAccessible(page, 'connections list');
    await screenshot(page, 'connections-list');
  });

  it('adds a "your app" connection with the generated form: a missing secret is shown at its input, then it saves', async () => {
    const { page } = b;
    await page.getByRole('link', { name: 'Add connection' }).click();
    await page.waitForURL(/\/connections\/new$/);
    await page.getByLabel('App', { exact: true }).selectOption('webhook');
    await page.waitForURL(/\/connections\/new\?app=webhook$/);
    expect(await page.getByLabel('Connection id').inputValue()).toBe('app-main');
    await page.getByLabel('Name', { exact: true }).fill('Your app');
    await page.getByLabel('Event source').fill('my-app');
    // the secret is a password input; the scheme an enum as a select with the default
    expect(await page.getByLabel('Signing secret').getAttribute('type')).toBe('password');
    expect(await page.getByLabel('Signature scheme').evaluate((e) => e.tagName)).toBe('SELECT');
    await page.getByRole('button', { name: 'Save connection' }).click();
    const secret = page.getByLabel('Signing secret');
    await expect.poll(() => secret.getAttribute('aria-invalid')).toBe('true');
    const described = (await secret.getAttribute('aria-describedby'))!.split(' ');
    const errorText = await page.locator(`[id="${described.at(-1)}"]`).textContent();
    expect(errorText).toMatch(/signingSecret: required/);
    await expectAccessible(page, 'new connection with a field error');
    await screenshot(page, 'connections-new-field-error');
    await secret.fill(SIGNING_SECRET);
    await page.getByRole('button', { name: 'Save connection' }).click();
    await page.waitForURL(/\/connections\?added=app-main$/);
    await page.getByRole('table', { name: 'Connections' }).getByText('app-main').waitFor();
    // the secret never comes back to the browser
    expect(await page.content()).not.toContain(SIGNING_SECRET);
    const stored = await h.bridge.connections.get('app-main');
    expect(stored?.config).toEqual({ source: 'my-app' });
  });

  it('nested settings are fieldsets: a bad nested field is shown at its own input', async () => {
    const { page } = b;
    await page.goto('/connections/new?app=erp');
    await page.getByRole('button', { name: /Customers feed/ }).click();
    const feed = page.getByRole('group', { name: /Customers feed/ });
    await feed.getByLabel('Feed kind').selectOption('csv-url');
    await feed.getByLabel('Path').fill('');
    await page.getByLabel('API base URL').fill('not a url');
    await page.getByRole('button', { name: 'Save connection' }).click();
    // the server names the first bad field: here the base URL
    const base = page.getByLabel('API base URL');
    await expect.poll(() => base.getAttribute('aria-invalid')).toBe('true');
    await base.fill('https://erp.example.test');
    await page.getByRole('button', { name: 'Save connection' }).click();
    const path = feed.getByLabel('Path');
    await expect.poll(() => path.getAttribute('aria-invalid')).toBe('true');
    expect(await base.getAttribute('aria-invalid')).toBeNull();
    await expectAccessible(page, 'new ERP connection, nested field error');
    await screenshot(page, 'connections-new-nested-error');
    await page.goto('/connections');
  });

  it('a GHL location by OAuth is connected through HighLevel, not with a typed secret', async () => {
    const { page } = b;
    await page.goto('/connections/new?app=ghl-location');
    expect(await page.getByLabel('Private Integration Token').getAttribute('type')).toBe('password');
    await page.getByLabel('Authentication').selectOption('oauth');
    await page.getByRole('button', { name: 'Connect with HighLevel' }).waitFor();
    expect(await page.getByLabel('Private Integration Token').count()).toBe(0);
    await expectAccessible(page, 'new GHL location connection');
    await screenshot(page, 'connections-new-ghl-oauth');
    await page.goto('/connections');
  });

  it('tests a connection: its last test shows in the list', async () => {
    const { page } = b;
    await page.getByRole('button', { name: 'Test app-main' }).click();
    const row = page.getByRole('row').filter({ hasText: 'app-main' });
    await row.getByText('connection settings are valid').waitFor();
    await page.getByRole('button', { name: 'Test ghl-main' }).click();
    await page.getByRole('row').filter({ hasText: 'ghl-main' }).getByText(/GHL location .* answered/).waitFor();
    await screenshot(page, 'connections-tested');
  });

  it('re-authorizes a GHL OAuth location through a single-use connect link, opened in a new tab', async () => {
    const { page, context } = b;
    const [tab] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Re-authorize ghl-oauth' }).click()]);
    // the link's /connect/ghl?ticket=… redirects to the (sandbox's) marketplace authorize page, for this server's callback
    const authorize = new URL('/v2/oauth/chooselocation', h.sb.url);
    await tab.waitForURL((u) => u.origin === authorize.origin && u.pathname === authorize.pathname);
    const url = new URL(tab.url());
    expect(url.searchParams.get('redirect_uri')).toBe(`${h.url}/oauth/callback`);
    expect(url.searchParams.get('state')).toMatch(/\S{16,}/);
    await tab.close();
  });

  it('removes a connection only after its id is typed', async () => {
    const { page } = b;
    await page.getByRole('button', { name: 'Remove app-main' }).click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Remove connection' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type app-main to confirm').fill('app-mai');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Type app-main to confirm').fill('app-main');
    await expectAccessible(page, 'remove connection dialog');
    await screenshot(page, 'connections-remove-dialog');
    await confirm.click();
    await expect.poll(() => page.getByRole('table', { name: 'Connections' }).getByText('app-main').count()).toBe(0);
    expect(await h.bridge.connections.get('app-main')).toBeNull();
    expectNoPageErrors(b.errors, [/status of 422/]);
  });
});
