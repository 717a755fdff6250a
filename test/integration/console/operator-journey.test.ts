/**
 * The acceptance, end to end in Chromium against the real server (embedded database, the
 * GHL sandbox, the app and ERP fakes, a worker and the incident monitor), as an operator who never
 * opens a terminal: sign in through the one-time link; add the app's connection with the form;
 * build a recipe with the no-YAML form, preview it, dry-run it, save it; the app sends a signed
 * webhook and the run appears without a reload; its detail shows the GHL calls and diffs; a broken
 * mapping dead-letters the next sign-up and opens an alert; the fixed recipe replays it from the
 * list; a full sync's progress bar reaches its summary; the contact's audit trail is there.
 * Every view is checked with axe and photographed into test-output/screenshots/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createErpFake, type ErpFake } from '../../../src/connectors/erp/index.js';
import { createAppFake, type AppFake } from '../../../src/connectors/webhook/fake.js';
import { startServerHarness, type ServerHarness } from '../server/harness.js';
import { expectAccessible, expectNoPageErrors, openConsole, screenshot, screenshotOf, type ConsoleBrowser } from '../../support/browser.js';

const SIGNING_SECRET = 'whsec_b3BlcmF0b3Itam91cm5leS1zaWduaW5nLTAx';
const ERP_KEY = 'erp-key-operator-journey-0123456789';
const RECIPE_ID = 'my-app-user-created';

let h: ServerHarness;
let erp: ErpFake;
let app: AppFake;
let b: ConsoleBrowser;

/** The recipe editor's text, replaced whole (as a paste: no auto-indent). */
async function replaceEditorText(text: string): Promise<void> {
  const editor = b.page.locator('.cm-content');
  await editor.click();
  await b.page.keyboard.press('Control+A');
  await b.page.keyboard.press('Delete');
  await b.page.keyboard.insertText(text);
}

async function look(name: string): Promise<void> {
  await expectAccessible(b.page, name);
  await screenshot(b.page, `journey-${name}`);
}

beforeAll(async () => {
  erp = await createErpFake({ apiKey: ERP_KEY });
  for (let i = 1; i <= 8; i++) erp.upsertCustomer({ id: `E${i}`, name: `Erp Customer${i}`, email: `e${i}@journey.test` });
  h = await startServerHarness({ recipes: ['erp-customers'], alerts: { checkSeconds: 1 } });
  app = await createAppFake({ secret: SIGNING_SECRET, webhookUrl: `${h.url}/hooks/app-main` });
  // what the operator (or `ghl-bridge init`) set up before: the GHL location and the ERP
  expect((await h.call('POST', '/api/v1/connections', { body: { id: 'ghl-main', app: 'ghl-location', name: 'Dental Clinic', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } } })).status).toBe(201);
  expect((await h.call('POST', '/api/v1/connections', { body: { id: 'erp-main', app: 'erp', name: 'ERP', config: { baseUrl: erp.url, pageSize: 3 }, secrets: { apiKey: ERP_KEY } } })).status).toBe(201);
  await h.bridge.engine.startWorker({ concurrency: 2, pollingIntervalSeconds: 0.2 });
  h.bridge.startIncidentMonitor();
  b = await openConsole(h.url, '/');
});

afterAll(async () => {
  await b?.close();
  await h?.close();
  await app?.close();
  await erp?.close();
});

// a failed step leaves a picture of where it stood
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && b) await screenshot(b.page, `journey-FAILED-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

describe('an operator runs ghl-bridge from the console', () => {
  it('signs in through the one-time link and sees the overview', async () => {
    await b.page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await b.page.getByText('ghl-main').first().waitFor();
    await look('overview');
  });

  it('adds the app connection with the form (a missing secret is shown at its input)', async () => {
    const { page } = b;
    await page.getByRole('link', { name: 'Connections', exact: true }).click();
    await page.getByRole('link', { name: /add|new connection/i }).first().click();
    await page.getByLabel('App', { exact: true }).selectOption('webhook');
    await page.getByLabel('Name', { exact: true }).fill('My app');
    await page.getByLabel('Event source').fill('my-app');
    await page.getByRole('button', { name: 'Save connection' }).click();
    const secret = page.getByLabel('Signing secret');
    await expect.poll(() => secret.getAttribute('aria-invalid')).toBe('true');
    await look('connection-form-error');
    await secret.fill(SIGNING_SECRET);
    await page.getByRole('button', { name: 'Save connection' }).click();
    await page.waitForURL(/\/connections\?added=app-main/);
    await page.getByRole('cell', { name: /app-main/ }).first().waitFor();
    await look('connections');
  });

  it('builds the sign-up recipe with the no-YAML form, previews it, dry-runs it and saves it', async () => {
    const { page } = b;
    await page.getByRole('link', { name: 'Recipes', exact: true }).click();
    await page.getByRole('link', { name: /new recipe/i }).first().click();
    await page.getByLabel('Source app').selectOption('webhook');
    await page.getByLabel('Trigger', { exact: true }).selectOption('webhook.standard-webhooks');
    await page.getByLabel('Source connection').fill('app-main');
    await page.getByLabel('GHL connection').fill('ghl-main');
    await page.getByLabel('Recipe name').fill('Sign-ups → GHL');
    // map by clicking the sample's values: email, then the name (first and last), then the phone
    await page.getByTitle('Use data.email').click();
    await page.getByTitle('Use data.name').click();
    await page.getByTitle('Use data.name').click();
    await page.getByTitle('Use data.phone').click();
    await page.getByLabel('Add tags').check();
    await page.getByLabel('Tags', { exact: true }).fill('app-user');
    await page.getByLabel('Create a task').check();
    await page.getByLabel('Task title').fill('Welcome call');
    await page.getByLabel('Due in').fill('+2d');
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Mapping preview' });
    await preview.getByText('app-user').first().waitFor();
    await page.getByRole('button', { name: 'Dry run' }).click();
    const dry = page.getByRole('region', { name: 'Dry run result' });
    await dry.getByText(/contacts/i).first().waitFor();
    await look('recipe-form');
    await page.getByRole('button', { name: 'Save recipe' }).click();
    await page.getByRole('heading', { name: `Saved recipe ${RECIPE_ID}` }).waitFor();
    const saved = await h.call('GET', `/api/v1/recipes/${RECIPE_ID}`);
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('app-user');
  });

  it('sees the run of a signed webhook appear without reloading, and its GHL calls and diffs', async () => {
    const { page } = b;
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.getByText(/^Live: refreshed every/).waitFor();
    const loads: string[] = [];
    page.on('load', () => loads.push(page.url()));
    await app.signUp({ email: 'ada@journey.test', name: 'Ada Lovelace', phone: '+12015550123', plan: 'pro' });
    const row = page.getByRole('table', { name: 'Runs' }).getByRole('row').filter({ hasText: RECIPE_ID }).filter({ hasText: 'succeeded' });
    await row.first().waitFor({ timeout: 30_000 });
    expect(loads, 'the list updated by itself').toEqual([]);
    await look('runs');
    await row.first().getByRole('link', { name: /^Run \d+$/ }).click();
    await page.getByRole('list', { name: 'GHL calls' }).waitFor();
    await page.getByRole('list', { name: 'GHL calls' }).getByText(/upsert/i).first().waitFor();
    await page.getByRole('table', { name: /field changes/ }).first().getByText('ada@journey.test').first().waitFor();
    await look('run-detail');
    await screenshotOf(page.locator('.card').filter({ has: page.getByRole('list', { name: 'GHL calls' }) }), 'journey-run-plan');
  });

  it('a broken mapping dead-letters the next sign-up and opens an alert', async () => {
    const { page } = b;
    await page.goto(`/recipes/${RECIPE_ID}`);
    await page.locator('.cm-content').waitFor();
    const text = (await h.call('GET', `/api/v1/recipes/${RECIPE_ID}`)).json.text as string;
    expect(text).toContain('email:');
    // a date field fed an e-mail address: a mapping error, so the run dead-letters
    const broken = text.replace(/^(\s+)email:(.*)$/m, (_m, indent: string, rest: string) => `${indent}email:${rest}\n${indent}dateOfBirth: data.email`);
    await replaceEditorText(broken);
    await page.getByRole('button', { name: 'Save new version' }).click();
    await page.getByLabel(/Changes from v1 to v2/).waitFor();
    await app.signUp({ email: 'grace@journey.test', name: 'Grace Hopper', plan: 'free' });
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.getByRole('table', { name: 'Runs' }).getByRole('row').filter({ hasText: 'dead' }).first().waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByRole('table', { name: 'Incidents' }).getByText(RECIPE_ID).first().waitFor({ timeout: 30_000 });
    await look('alerts');
  });

  it('fixes the recipe and replays the dead run from the list: it succeeds', async () => {
    const { page } = b;
    await page.goto(`/recipes/${RECIPE_ID}`);
    await page.locator('.cm-content').waitFor();
    const text = (await h.call('GET', `/api/v1/recipes/${RECIPE_ID}`)).json.text as string;
    await replaceEditorText(text.replace(/^\s+dateOfBirth: data\.email\n/m, ''));
    await page.getByRole('button', { name: 'Save new version' }).click();
    await page.getByLabel(/Changes from v2 to v3/).waitFor();
    await page.goto('/runs?status=dead');
    await page.getByRole('table', { name: 'Runs' }).getByRole('row').filter({ hasText: RECIPE_ID }).first().waitFor();
    await page.getByRole('button', { name: 'Replay all matching' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Replay 1' }).click();
    await page.goto(`/runs?recipe=${RECIPE_ID}`);
    await expect.poll(async () => (await h.call('GET', `/api/v1/runs?recipe=${RECIPE_ID}&status=succeeded`)).json.items as unknown[], { timeout: 30_000 }).toHaveLength(2);
    await page.getByRole('table', { name: 'Runs' }).getByRole('row').filter({ hasText: 'succeeded' }).nth(1).waitFor({ timeout: 30_000 });
    expect((await h.call('GET', `/api/v1/runs?recipe=${RECIPE_ID}&status=dead`)).json.items).toEqual([]);
  });

  it('starts a full sync and watches the progress bar reach the summary', async () => {
    const { page } = b;
    await page.getByRole('link', { name: 'Syncs', exact: true }).click();
    await page.getByLabel('Full sync (writes to GHL)').check();
    await page.getByLabel('Recipe', { exact: true }).selectOption('erp-customers');
    await page.getByLabel('App connection').selectOption('erp-main');
    await page.getByRole('button', { name: 'Start full sync' }).click();
    const bar = page.getByRole('progressbar', { name: 'Runs finished' });
    await bar.waitFor();
    await page.getByRole('heading', { name: 'Summary', exact: true }).waitFor({ timeout: 60_000 });
    await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe(await bar.getAttribute('aria-valuemax'));
    await expect.poll(() => page.locator('[data-outcome="created"] .big').textContent()).toBe('8');
    await look('sync');
  });

  it('finds the contact and sees its audit trail', async () => {
    const { page } = b;
    await page.getByRole('link', { name: 'Contacts', exact: true }).click();
    await page.getByLabel('Find contact').fill('ada@journey.test');
    await page.getByLabel('Find contact').press('Enter');
    await page.getByRole('table', { name: 'Contacts found' }).getByRole('link').first().click();
    await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await page.getByText('ada@journey.test').first().waitFor();
    await page.getByText(`${RECIPE_ID}@1`).first().waitFor();
    await look('contact');
    expectNoPageErrors(b.errors);
  });
});
