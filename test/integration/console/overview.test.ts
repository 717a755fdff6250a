/**
 * The overview in a real browser, on data made through the real server: signed deliveries that
 * succeed, one that is dead-lettered (an incident), a forged one (a rejection), refused credentials
 * (reconnect needed) and a run waiting behind them. Every number shown is the server's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectNoPageErrors, openConsole, screenshot, type ConsoleBrowser } from '../../support/browser.js';
import { brokenSignup, signup, startWorld, type ConsoleWorld } from './world.js';

let w: ConsoleWorld;
let b: ConsoleBrowser;

beforeAll(async () => {
  w = await startWorld();
  for (let i = 1; i <= 3; i++) expect(await w.deliver(signup(`usr_ov${i}`), `msg_ov${i}`)).toBe(200);
  expect(await w.deliver(brokenSignup('usr_ov_bad'), 'msg_ov_bad')).toBe(200);
  await w.settled();
  expect(await w.deliver(signup('usr_forged'), 'msg_forged', 'whsec_d3JvbmctZGVmaW5pdGVseS13cm9uZy1zZWNyZXQ=')).toBe(401);
  // refused credentials, as the workers record them; then a sign-up waits for the re-authorization
  await w.h.bridge.db.query(`insert into connection_health (connection_id, status, reason) values ('ghl-main', 'needs-reauth', 'invalid_grant: the refresh token was revoked')`);
  expect(await w.deliver(signup('usr_ov_wait'), 'msg_ov_wait')).toBe(200);
  await w.h.bridge.startIncidentMonitor().check();
  b = await openConsole(w.h.url, '/');
}, 60_000);

afterAll(async () => {
  await b?.close();
  await w?.close();
});

describe('overview (Chromium)', () => {
  it('shows each connection’s health, with Reconnect where credentials are refused', async () => {
    const { page } = b;
    const table = page.getByRole('table', { name: 'Connection health' });
    await table.waitFor();
    const ghl = table.locator('tr[data-connection="ghl-main"]');
    await ghl.getByText('reconnect needed').waitFor();
    const app = table.locator('tr[data-connection="app-main"]');
    await app.getByText(/webhook refused: bad-signature/).waitFor();
    expect(await table.locator('tr[data-connection="erp-main"]').getByText('no runs yet').count()).toBe(1);
    await ghl.getByText(/credentials refused: invalid_grant/).waitFor();
    await ghl.getByRole('button', { name: 'Reconnect ghl-main' }).click();
    const link = ghl.getByRole('link', { name: 'Open GHL authorization for ghl-main' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/\/connect\/ghl\?ticket=/);
  });

  it('shows the queue, the rate budget, the open alerts and the runs chart with totals from the server', async () => {
    const { page } = b;
    await expect.poll(() => page.getByTestId('queue-depth').textContent()).toBe('1');
    expect(await page.getByTestId('oldest-waiting').textContent()).not.toBe('—');
    const daily = page.getByRole('progressbar', { name: /^Daily/ }).first();
    expect(Number(await daily.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    await page.getByRole('heading', { name: /Open alerts \(2\)/ }).waitFor();
    expect(await page.getByRole('link', { name: 'All alerts' }).getAttribute('href')).toBe('/alerts');
    await page.getByRole('link', { name: /needs re-authorization/ }).waitFor();

    const totals = page.getByRole('list', { name: 'Outcome totals' });
    const api = (await w.h.call('GET', '/api/v1/stats/runs?range=1h')).json as { totals: Record<string, number> };
    await expect.poll(() => totals.locator('[data-outcome="succeeded"] strong').textContent()).toBe(String(api.totals.succeeded));
    expect(await totals.locator('[data-outcome="dead"] strong').textContent()).toBe('1');
    expect(await page.locator('.runs-chart canvas').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: '7 days' }).click();
    expect(await page.getByRole('button', { name: '7 days' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('img', { name: /Runs per hour by outcome/ }).waitFor();
    await screenshot(page, 'overview');
    await expectAccessible(page, 'overview');
    // dark: the chart is redrawn in the theme's colours
    await page.getByLabel('Theme').selectOption('dark');
    await page.waitForTimeout(200);
    await screenshot(page, 'overview-dark');
    await expectAccessible(page, 'overview (dark)');
    await page.getByLabel('Theme').selectOption('system');
    expectNoPageErrors(b.errors);
  });

  it('updates without a reload: re-authorized, the waiting run is worked, the queue empties and the connection is healthy', async () => {
    const { page } = b;
    await w.h.bridge.db.query(`delete from connection_health where connection_id = 'ghl-main'`);
    await w.settled();
    await expect.poll(() => page.getByTestId('queue-depth').textContent(), { timeout: 15_000 }).toBe('0');
    // its newest failure is now the dead run (linked), and a success came after it
    const ghl = page.locator('tr[data-connection="ghl-main"]');
    await ghl.getByText('healthy').waitFor();
    const dead = (await w.h.bridge.db.query<{ id: string }>(`select id from runs where status = 'dead'`)).rows[0]!.id;
    expect(await ghl.getByRole('link', { name: `run ${dead}` }).getAttribute('href')).toBe(`/runs/${dead}`);
  });
});
