/**
 * Syncs in a real browser: a backfill dry run from the form (nothing written), a full sync started
 * from the form that progresses (polled each second) to its summary with links to its failed runs,
 * the list, and a bad choice refused at its field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectNoPageErrors, openConsole, screenshot, type ConsoleBrowser } from '../../support/browser.js';
import { gateProxy, type GateProxy } from '../server/gate-proxy.js';
import { ERP_KEY, startWorld, type ConsoleWorld } from './world.js';

let w: ConsoleWorld;
let b: ConsoleBrowser;
let gate: GateProxy;

beforeAll(async () => {
  w = await startWorld({ customers: 6 });
  // an address the recipe's email transform refuses: its run is dead
  w.erp.upsertCustomer({ id: 'K7', name: 'Broken Mail', email: 'not-an-email' });
  // the same ERP behind a gate the test opens: a listing stays mid-way as long as a test needs
  gate = await gateProxy(w.erp.url);
  expect((await w.h.call('POST', '/api/v1/connections', { body: { id: 'erp-gated', app: 'erp', name: 'ERP (gated)', config: { baseUrl: gate.url, pageSize: 2 }, secrets: { apiKey: ERP_KEY } } })).status).toBe(201);
  b = await openConsole(w.h.url, '/syncs');
}, 60_000);

afterAll(async () => {
  gate?.release();
  await b?.close();
  await w?.close();
  await gate?.close();
});

describe('syncs (Chromium)', () => {
  it('a backfill dry run shows what a full sync would do and writes nothing', async () => {
    const { page } = b;
    await page.getByRole('heading', { name: 'Syncs', level: 1 }).waitFor();
    await page.getByLabel('Backfill dry run (writes nothing)').check();
    await page.getByLabel('Recipe').selectOption('erp-customers');
    await page.getByLabel('App connection').selectOption('erp-main');
    await page.getByRole('button', { name: 'Run the dry run' }).click();
    const result = page.getByRole('region', { name: 'Backfill dry run result' });
    await result.getByText(/7 records considered of 7 listed/).waitFor();
    expect(await result.getByRole('table', { name: 'Records of the dry run' }).locator('tbody tr').count()).toBe(7);
    await screenshot(page, 'syncs-dry-run');
    await expectAccessible(page, 'syncs dry run');
    expect(Number((await w.h.bridge.db.query<{ n: string }>('select count(*) as n from syncs')).rows[0]!.n)).toBe(0);
  });

  it('a bad choice is refused at its field', async () => {
    const { page } = b;
    await page.getByLabel('Full sync (writes to GHL)').check();
    await page.getByLabel('App connection').selectOption('app-main');
    await page.getByRole('button', { name: 'Start full sync' }).click();
    // the webhook connection's events never reach this recipe: the server names the connection
    const field = page.locator('.field', { has: page.getByLabel('App connection') });
    await field.locator('.field-error').waitFor();
    expect(await page.getByLabel('App connection').getAttribute('aria-invalid')).toBe('true');
  });

  it('a full sync started from the form progresses to its summary with links to the failed runs', async () => {
    const { page } = b;
    await page.getByLabel('App connection').selectOption('erp-main');
    await page.getByRole('button', { name: 'Start full sync' }).click();
    await page.waitForURL(/\/syncs\/\d+$/);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const bar = page.getByRole('progressbar', { name: 'Runs finished' });
    await bar.waitFor();
    // polled every second until every run finished
    await expect.poll(async () => bar.getAttribute('aria-valuetext'), { timeout: 20_000 }).toBe('7 of 7 runs finished');
    await page.getByTestId('sync-eta').getByText('done').waitFor();
    const outcomes = page.getByLabel('Outcomes');
    expect(await outcomes.locator('[data-outcome="created"] .big').textContent()).toBe('6');
    expect(await outcomes.locator('[data-outcome="failed"] .big').textContent()).toBe('1');
    const api = (await w.h.call('GET', `/api/v1/syncs/${id}`)).json as { failedRunIds: number[] };
    expect(api.failedRunIds).toHaveLength(1);
    expect(await page.getByRole('link', { name: `Run ${api.failedRunIds[0]}` }).getAttribute('href')).toBe(`/runs/${api.failedRunIds[0]}`);
    expect(await bar.getAttribute('aria-valuenow')).toBe('7');
    await screenshot(page, 'sync-detail');
    await expectAccessible(page, 'sync detail');

    await page.getByRole('link', { name: 'All syncs' }).click();
    const row = page.getByRole('table', { name: 'Syncs' }).locator('tbody tr').first();
    await row.getByRole('link', { name: `Sync ${id}` }).waitFor();
    await row.getByText('done').waitFor();
    await screenshot(page, 'syncs');
    await expectAccessible(page, 'syncs');
    expectNoPageErrors(b.errors, [/status of (400|409)/]);
  });

  it('cancels a sync while it lists and resumes it to its summary', async () => {
    const { page } = b;
    await page.goto('/syncs');
    gate.hold();
    await page.getByLabel('Full sync (writes to GHL)').check();
    await page.getByLabel('Recipe').selectOption('erp-customers');
    await page.getByLabel('App connection').selectOption('erp-gated');
    await page.getByRole('button', { name: 'Start full sync' }).click();
    await page.waitForURL(/\/syncs\/\d+$/);
    await gate.waitHeld();
    const bar = page.getByRole('progressbar', { name: 'Runs finished' });
    await expect.poll(() => bar.getAttribute('aria-valuetext')).toMatch(/still listing/);
    expect(await page.getByTestId('sync-eta').textContent()).toBe('—');
    await page.getByRole('button', { name: 'Cancel' }).click();
    const resume = page.getByRole('button', { name: 'Resume' });
    await resume.waitFor();
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    expect((await w.h.call('GET', `/api/v1/syncs/${id}`)).json).toMatchObject({ running: false });
    await page.locator('.card-head .badge').getByText((await w.h.call('GET', `/api/v1/syncs/${id}`)).json.status as string).waitFor();
    await screenshot(page, 'sync-cancelled');
    gate.release();
    await resume.click();
    await expect.poll(() => bar.getAttribute('aria-valuetext'), { timeout: 20_000 }).toBe('7 of 7 runs finished');
    // the same records as the first sync: nothing to write for the six, the broken one fails again
    expect(await page.getByLabel('Outcomes').locator('[data-outcome="unchanged"] .big').textContent()).toBe('6');
    expect(await page.getByLabel('Outcomes').locator('[data-outcome="failed"] .big').textContent()).toBe('1');
    expectNoPageErrors(b.errors, [/status of (400|409)/]);
  });
});
