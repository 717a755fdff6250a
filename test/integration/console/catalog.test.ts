/**
 * The console's catalog in a real browser: searched as one types (on the server), an operation's
 * endpoint, scope and schemas shown, its sample payload copied to the clipboard as JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectNoPageErrors, openConsole, screenshot, type ConsoleBrowser } from '../../support/browser.js';
import { startServerHarness, type ServerHarness } from '../server/harness.js';

describe('console catalog (Chromium)', () => {
  let h: ServerHarness;
  let b: ConsoleBrowser;
  beforeAll(async () => {
    h = await startServerHarness({ recipes: [] });
    b = await openConsole(h.url, '/catalog');
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.url });
  });
  afterAll(async () => {
    await b?.close();
    await h?.close();
  });

  it('searches the catalog as one types', async () => {
    const { page } = b;
    const table = page.getByRole('table', { name: 'Operations' });
    await table.getByRole('link', { name: 'ghl.contacts.upsert' }).or(table.getByRole('link').first()).first().waitFor();
    const all = await table.getByRole('row').count();
    await page.getByLabel('Search operations').fill('candidate created');
    await page.waitForURL(/\/catalog\?q=candidate\+created$/);
    await table.getByRole('link', { name: 'recruitee.candidate.created' }).waitFor();
    await expect.poll(() => table.getByRole('row').count()).toBeLessThan(all);
    await page.getByLabel('Kind').selectOption('action');
    await page.getByText('Nothing matches').or(table.getByRole('row').nth(1)).first().waitFor();
    await page.getByLabel('Kind').selectOption('');
    await table.getByRole('link', { name: 'recruitee.candidate.created' }).waitFor();
    await expectAccessible(page, 'catalog search');
    await screenshot(page, 'catalog-search');
  });

  it('shows an operation with its endpoint, scope, schemas and a sample to copy', async () => {
    const { page } = b;
    await page.getByRole('link', { name: 'recruitee.candidate.created' }).click();
    await page.waitForURL(/\/catalog\/recruitee\.candidate\.created$/);
    await page.getByText('Endpoint').waitFor();
    await page.getByRole('group', { name: 'Sample payload' }).waitFor();
    await page.getByRole('group', { name: 'Event payload schema' }).waitFor();
    await page.getByRole('button', { name: 'Copy JSON' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    const copied = await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
    const sample = (await h.call('GET', '/api/v1/operations/recruitee.candidate.created')).json.sample as { payload: unknown };
    expect(JSON.parse(copied)).toEqual(sample.payload);
    await expectAccessible(page, 'catalog operation');
    await screenshot(page, 'catalog-operation');
    expectNoPageErrors(b.errors);
  });
});
