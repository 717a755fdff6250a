/**
 * The console's contacts view in a real browser: a contact a signed webhook made is found by its
 * email; its 360° view shows its fields, notes and the source record linked in the ledger; its
 * audit trail names the event, the recipe version and each field old → new, linking the run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardWebhookHeaders } from '../../../src/connectors/webhook/sign.js';
import { expectAccessible, expectNoPageErrors, openConsole, screenshot, type ConsoleBrowser } from '../../support/browser.js';
import { startServerHarness, type ServerHarness } from '../server/harness.js';

const SIGNING_SECRET = 'whsec_Y29uc29sZS1jb250YWN0cy1icm93c2VyLXRlc3Q=';

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('console contacts (Chromium)', () => {
  let h: ServerHarness;
  let b: ConsoleBrowser;
  let runId: number;
  beforeAll(async () => {
    h = await startServerHarness({ recipes: [] });
    await h.bridge.engine.startWorker({ concurrency: 1, pollingIntervalSeconds: 0.2 });
    expect((await h.call('POST', '/api/v1/connections', { body: { id: 'ghl-main', app: 'ghl-location', name: 'Dental', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } } })).status).toBe(201);
    expect((await h.call('POST', '/api/v1/connections', { body: { id: 'app-main', app: 'webhook', name: 'Your app', config: { source: 'my-app' }, secrets: { signingSecret: SIGNING_SECRET } } })).status).toBe(201);
    const recipe = {
      id: 'signup', version: 1, trigger: { source: 'my-app', events: ['user.created'] }, connection: 'ghl-main', recordId: 'data.id',
      mapping: { contact: { email: { path: 'data.email', transforms: ['email'] }, firstName: { path: 'data.name', transforms: ['firstName'] }, lastName: { path: 'data.name', transforms: ['lastName'] } } },
      actions: [{ type: 'upsertContact' }, { type: 'note', sourceId: { template: 'signup-{{data.id}}' }, body: { template: 'Signed up: {{data.name}}' } }],
    };
    expect((await h.call('POST', '/api/v1/recipes', { body: recipe })).status).toBe(201);
    const body = JSON.stringify({ type: 'user.created', data: { id: 'usr_b1', email: 'katherine@browser.test', name: 'Katherine Johnson' } });
    expect((await h.call('POST', '/hooks/app-main', { raw: body, token: null, headers: standardWebhookHeaders(SIGNING_SECRET, { id: 'msg_b1', timestamp: Math.floor(Date.now() / 1000), body }) })).status).toBe(200);
    const run = await until(async () => {
      const runs = (await h.call('GET', '/api/v1/runs?recipe=signup')).json.items as Array<{ id: number; status: string }>;
      return runs[0]?.status === 'succeeded' ? runs[0] : undefined;
    });
    runId = run.id;
    b = await openConsole(h.url, '/contacts');
  });
  afterAll(async () => {
    await b?.close();
    await h?.close();
  });

  it('finds the contact a webhook made by its email', async () => {
    const { page } = b;
    await page.getByLabel('Find contact').fill('Katherine@Browser.test');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/contacts\?q=Katherine%40Browser\.test$/);
    const results = page.getByRole('table', { name: 'Contacts found' });
    await results.getByRole('link', { name: 'Katherine Johnson' }).waitFor();
    const row = await results.getByRole('row').nth(1).textContent();
    expect(row).toContain('katherine@browser.test');
    expect(row).toContain('usr_b1');
    expect(row).toContain('ghl-main');
    await expectAccessible(page, 'contacts search');
    await screenshot(page, 'contacts-search');
  });

  it('opens its 360° view with the linked source record and its audit trail', async () => {
    const { page } = b;
    await page.getByRole('link', { name: 'Katherine Johnson' }).click();
    await page.waitForURL(/\/contacts\/[^/?]+\?connection=ghl-main$/);
    await page.getByRole('heading', { name: 'Katherine Johnson' }).waitFor();
    await page.getByText('Signed up: Katherine Johnson').waitFor();
    await page.getByRole('table', { name: 'Linked source records' }).getByRole('link', { name: 'Runs of my-app record usr_b1' }).waitFor();
    const trail = page.getByRole('list', { name: 'Audit trail' });
    await trail.getByText('user.created').first().waitFor();
    expect(await trail.getByText('signup@1').count()).toBeGreaterThan(0);
    const email = trail.getByRole('row').filter({ hasText: 'email' }).first();
    expect(await email.textContent()).toMatch(/email\s*∅\s*katherine@browser\.test/);
    const runLink = trail.getByRole('link', { name: new RegExp(`run ${runId}$`) }).first();
    expect(await runLink.getAttribute('href')).toBe(`/runs/${runId}`);
    await expectAccessible(page, 'contact 360 view');
    await screenshot(page, 'contacts-360');
    expectNoPageErrors(b.errors);
  });
});
