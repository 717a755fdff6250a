/**
 * Alerts and webhook rejections in a real browser, on incidents the real monitor opened (dead
 * runs of deliveries the recipe cannot map; refused credentials) and a delivery the server refused:
 * acknowledge, mute for a chosen time, the notifications of one incident, resolved ones, a test
 * message to a working channel and to one that fails, and the rejections table with its filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type TestReceiver } from '../../support/receiver.js';
import { expectAccessible, expectNoPageErrors, openConsole, screenshot, type ConsoleBrowser } from '../../support/browser.js';
import { brokenSignup, signup, startWorld, type ConsoleWorld } from './world.js';

let w: ConsoleWorld;
let b: ConsoleBrowser;
let rx: TestReceiver;

const incidents = async () => (await w.h.call('GET', '/api/v1/incidents?status=all')).json.items as Array<{ id: number; rule: string; status: string; acknowledgedBy: string | null; mutedUntil: string | null }>;

beforeAll(async () => {
  rx = await startReceiver();
  process.env.H4_ALERTS_HOOK_SECRET = 'h4-alerts-hook-secret-0123456789';
  w = await startWorld({
    alerts: {
      channels: { hook: { type: 'webhook', url: rx.url('/alerts'), secretEnv: 'H4_ALERTS_HOOK_SECRET' }, chat: { type: 'slack', urlEnv: 'H4_ALERTS_MISSING_SLACK_URL' } },
      default: ['hook'],
      checkSeconds: 3600,
    },
  });
  for (let i = 1; i <= 2; i++) expect(await w.deliver(brokenSignup(`usr_al${i}`), `msg_al${i}`)).toBe(200);
  await w.settled();
  await w.h.bridge.db.query(`insert into connection_health (connection_id, status, reason) values ('ghl-main', 'needs-reauth', 'invalid_grant: the refresh token was revoked')`);
  await w.h.bridge.startIncidentMonitor().check();
  expect(await w.deliver(signup('usr_forged'), 'msg_forged', 'whsec_d3JvbmctZGVmaW5pdGVseS13cm9uZy1zZWNyZXQ=')).toBe(401);
  b = await openConsole(w.h.url, '/alerts');
}, 60_000);

afterAll(async () => {
  await b?.close();
  await w?.close();
  await rx?.close();
});

describe('alerts (Chromium)', () => {
  it('lists the open incidents; acknowledge and mute act on the server', async () => {
    const { page } = b;
    const table = page.getByRole('table', { name: 'Incidents' });
    await table.waitFor();
    const [reauth, dead] = [(await incidents()).find((i) => i.rule === 'reauth')!, (await incidents()).find((i) => i.rule === 'deadLetter')!];
    const deadRow = table.locator(`tr[data-incident="${dead.id}"]`);
    await deadRow.getByText(/2 dead runs of recipe app-signup/).waitFor();
    await deadRow.getByRole('button', { name: `Acknowledge incident ${dead.id}` }).click();
    await deadRow.getByText('by admin').waitFor();
    expect((await incidents()).find((i) => i.id === dead.id)!.acknowledgedBy).toBe('admin');

    const reauthRow = table.locator(`tr[data-incident="${reauth.id}"]`);
    await reauthRow.getByLabel('Mute for').selectOption({ label: '4 hours' });
    await reauthRow.getByRole('button', { name: `Mute incident ${reauth.id}` }).click();
    await reauthRow.getByText('muted', { exact: true }).waitFor();
    const until = Date.parse((await incidents()).find((i) => i.id === reauth.id)!.mutedUntil!);
    expect(until - Date.now()).toBeGreaterThan(235 * 60_000);
    expect(until - Date.now()).toBeLessThan(245 * 60_000);

    await deadRow.getByRole('button', { name: 'Notifications' }).click();
    const notes = page.getByRole('table', { name: `Notifications of incident ${dead.id}` });
    await notes.getByText('opened').waitFor();
    expect(await notes.getByText('hook').count()).toBe(1);
    await screenshot(page, 'alerts');
    await expectAccessible(page, 'alerts');
  });

  it('a resolved incident moves to Resolved', async () => {
    const { page } = b;
    await w.h.bridge.db.query(`delete from connection_health where connection_id = 'ghl-main'`);
    await w.h.bridge.startIncidentMonitor().check();
    await page.getByRole('button', { name: 'Resolved', exact: true }).click();
    await page.waitForURL(/status=resolved/);
    await page.getByRole('table', { name: 'Incidents' }).getByText(/ghl-main needs re-authorization/).waitFor();
    await page.getByRole('table', { name: 'Incidents' }).getByText('resolved', { exact: true }).first().waitFor();
  });

  it('sends a test to a channel: sent on the working one, the reason on the failing one', async () => {
    const { page } = b;
    await page.getByRole('button', { name: 'Send test to hook' }).click();
    await page.locator('li[data-channel="hook"]').getByText(/test sent \(notification \d+\)/).waitFor();
    expect(rx.requests.filter((r) => r.path === '/alerts').length).toBeGreaterThan(0);
    const chat = page.locator('li[data-channel="chat"]');
    await chat.getByText('missing env H4_ALERTS_MISSING_SLACK_URL').waitFor();
    await page.getByRole('button', { name: 'Send test to chat' }).click();
    await chat.getByRole('alert').getByText('The test to chat failed').waitFor();
    await screenshot(page, 'alerts-channels');
    expectNoPageErrors(b.errors, [/status of 502/]);
  });
});

describe('webhook rejections (Chromium)', () => {
  it('lists refused deliveries with their reason and filters by it', async () => {
    const { page } = b;
    await page.getByRole('link', { name: 'Webhook rejections' }).click();
    const table = page.getByRole('table', { name: 'Webhook rejections' });
    await table.getByText('401 bad-signature').waitFor();
    expect(await table.getByRole('link', { name: 'app-main' }).count()).toBe(1);
    await screenshot(page, 'rejections');
    await expectAccessible(page, 'rejections');
    await page.getByLabel('Reason').fill('stale-timestamp');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/reason=stale-timestamp/);
    await page.getByText('No refused delivery matches these filters.').waitFor();
    await page.getByLabel('Reason').fill('bad-signature');
    await page.getByRole('button', { name: 'Filter' }).click();
    await table.getByText('401 bad-signature').waitFor();
    expectNoPageErrors(b.errors, [/status of 502/]);
  });
});
