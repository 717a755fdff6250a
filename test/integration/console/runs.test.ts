/**
 * Runs in a real browser: the list fills live from signed webhooks (no reload), filters kept in
 * the URL, a run's detail (event, mapping output, plan with its field diffs, steps), a dead run's
 * error with what to do, replayed with the current recipe version until it succeeds, and the bulk
 * dismissal of the filtered selection after a confirmation with its count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardWebhookHeaders } from '../../../src/connectors/webhook/sign.js';
import { expectAccessible, expectNoPageErrors, openConsole, screenshot, type ConsoleBrowser } from '../../support/browser.js';
import { settleRuns } from '../../support/engine.js';
import { startServerHarness, type ServerHarness } from '../server/harness.js';

const SIGNING_SECRET = 'whsec_cnVucy1icm93c2VyLXRlc3Qtc2lnbmluZy1zZWNyZXQ=';
const v1 = {
  id: 'rc-web', version: 1, trigger: { source: 'webhook', events: ['user.created'] }, connection: 'ghl-main', recordId: 'data.id',
  mapping: { contact: { email: { path: 'data.email', transforms: ['email'] }, firstName: 'data.name' }, },
  actions: [{ type: 'upsertContact' }, { type: 'note', sourceId: { template: 'bio-{{data.id}}' }, body: { path: 'data.bio' } }],
};
const v2 = { ...v1, version: 2, actions: [v1.actions[0], { type: 'note', sourceId: { template: 'bio-{{data.id}}' }, body: { path: 'data.about' } }] };

let h: ServerHarness;
let b: ConsoleBrowser;

async function deliver(connectionId: string, data: Record<string, unknown>) {
  const body = JSON.stringify({ type: 'user.created', data });
  const res = await h.call('POST', `/hooks/${connectionId}`, { raw: body, token: null, headers: standardWebhookHeaders(SIGNING_SECRET, { id: `msg_${String(data.id)}`, timestamp: Math.floor(Date.now() / 1000), body }) });
  expect(res.status).toBe(200);
}
const runId = async (user: string) => ((await h.call('GET', `/api/v1/runs?record=${user}`)).json.items as Array<{ id: number }>)[0]!.id;

beforeAll(async () => {
  h = await startServerHarness({ recipes: ['app-signup'] });
  await h.bridge.engine.startWorker({ concurrency: 1, pollingIntervalSeconds: 0.2 });
  expect((await h.call('POST', '/api/v1/connections', { body: { id: 'ghl-main', app: 'ghl-location', name: 'Location', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } } })).status).toBe(201);
  for (const id of ['app-main', 'app-two']) expect((await h.call('POST', '/api/v1/connections', { body: { id, app: 'webhook', name: id, secrets: { signingSecret: SIGNING_SECRET } } })).status).toBe(201);
  expect((await h.call('POST', '/api/v1/recipes', { body: v1 })).status).toBe(201);
  await deliver('app-main', { id: 'w1', email: 'ada@web.test', name: 'Ada', bio: 'Hello from Ada', apiToken: 'tok-web-secret-123' });
  await deliver('app-main', { id: 'w2', email: 'bob@web.test', name: 'Bob', about: 'About Bob' });
  await deliver('app-two', { id: 'w3', email: 'cy@web.test', name: 'Cy', about: 'About Cy' });
  await settleRuns(h.bridge.db, 20_000);
  b = await openConsole(h.url, '/runs');
}, 60_000);

afterAll(async () => {
  await b?.close();
  await h?.close();
});

describe('runs (Chromium)', () => {
  it('lists the runs and shows a new one without a reload; filters live in the URL', async () => {
    const { page } = b;
    await page.getByRole('heading', { name: 'Runs', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: 'Runs' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    await table.getByText('webhook:w2').waitFor();
    // a new event while the page is open: it appears by itself (polled)
    await deliver('app-main', { id: 'w4', email: 'di@web.test', name: 'Di', bio: 'Hello from Di' });
    await table.getByText('webhook:w4').waitFor({ timeout: 15_000 });
    await settleRuns(h.bridge.db, 20_000);
    await screenshot(page, 'runs-list');
    await expectAccessible(page, 'runs list');

    await page.getByLabel('Status').selectOption('dead');
    await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBe('dead');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    await page.getByLabel('Record id').fill('w3');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    expect(new URL(page.url()).search).toBe('?status=dead&record=w3');
    await page.reload();
    await expect.poll(() => page.getByRole('table', { name: 'Runs' }).locator('tbody tr').count()).toBe(1);
    expect(await page.getByLabel('Record id').inputValue()).toBe('w3');
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Runs' }).locator('tbody tr').count()).toBe(4);
  });

  it('a run: its event (secrets redacted), the mapping output, the plan with its diffs, the steps', async () => {
    const { page } = b;
    const id = await runId('w1');
    await page.getByRole('link', { name: `Run ${id}`, exact: true }).click();
    await page.getByRole('heading', { name: `Run #${id}` }).waitFor();
    await page.getByRole('table', { name: 'Step 1 field changes' }).getByText('ada@web.test').waitFor();
    await page.getByRole('table', { name: 'Contact fields' }).getByText('firstName').waitFor();
    await page.getByRole('table', { name: 'Executed steps' }).getByText(/POST \/contacts\/upsert/).waitFor();
    const tree = page.getByRole('group', { name: 'Event payload' });
    await tree.getByText('"[redacted]"').waitFor();
    expect(await page.content()).not.toContain('tok-web-secret-123');
    await screenshot(page, 'run-detail');
    await expectAccessible(page, 'run detail');
  });

  it('a dead run says why and what to do; replayed with the current version it succeeds', async () => {
    const { page } = b;
    const id = await runId('w2');
    expect((await h.call('POST', '/api/v1/recipes/rc-web/versions', { body: { text: JSON.stringify(v2) } })).status).toBe(201);
    await page.goto(`/runs/${id}`);
    await page.getByRole('heading', { name: `Run #${id}` }).getByText('dead').waitFor();
    await page.getByText('What to do').waitFor();
    await page.getByText(/no plan is stored/).first().waitFor();
    expect(await page.getByLabel(/the current recipe version \(v2\)/).isChecked()).toBe(true);
    // dismiss needs a reason: said at the input
    await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
    await page.getByText('Say why the run is dismissed.').waitFor();
    expect(await page.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'run-dead');
    await expectAccessible(page, 'dead run');
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await page.getByRole('status').getByText('Replayed with version 2.').waitFor();
    await page.getByRole('heading', { name: `Run #${id}` }).getByText('succeeded').waitFor({ timeout: 15_000 });
    await page.getByRole('table', { name: 'Note bio-w2' }).getByText('About Bob').waitFor();
    await screenshot(page, 'run-replayed');
  });

  it('dismisses all matching dead letters after confirming their count', async () => {
    const { page } = b;
    await page.goto('/runs?connection=app-two');
    await expect.poll(() => page.getByRole('table', { name: 'Runs' }).locator('tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: 'Dismiss all matching…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('1 dead letter matches the filters.').waitFor();
    await dialog.getByLabel('Reason').fill('test users');
    await screenshot(page, 'runs-bulk-dismiss');
    await expectAccessible(page, 'bulk dismiss dialog');
    await dialog.getByRole('button', { name: 'Dismiss 1' }).click();
    await page.getByRole('status').getByText('1 dead letter dismissed.').waitFor();
    await page.getByRole('table', { name: 'Runs' }).getByText('dismissed').waitFor();
    const w3 = await runId('w3');
    expect((await h.call('GET', `/api/v1/runs/${w3}`)).json).toMatchObject({ status: 'dismissed', dismissedReason: 'test users' });
    expectNoPageErrors(b.errors);
  });
});
