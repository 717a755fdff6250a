/**
 * The console's Recipes view in a real browser against the real server: the list with its 24 h
 * outcomes and the enable switch; the editor showing the server's validation error at its line,
 * the live preview (sample and a real event), the dry run, saving a new version with its diff,
 * the history, the unsaved-changes guard; and a recipe built with the no-YAML form, previewed,
 * dry-run and saved. Screenshots and an axe check on each page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { standardWebhookHeaders } from '../../../src/connectors/webhook/sign.js';
import { startServerHarness, type ServerHarness } from '../server/harness.js';
import { expectAccessible, expectNoPageErrors, openConsole, screenshot, type ConsoleBrowser } from '../../support/browser.js';

const SECRET = 'whsec_cmVjaXBlcy1icm93c2VyLXNpZ25pbmctc2VjcmV0LTAx';
const SIGNUP = readFileSync(join(import.meta.dirname, '../../../recipes/app-signup.yaml'), 'utf8');
const EMAIL_LINE = SIGNUP.split('\n').findIndex((l) => l.startsWith('    email: ')) + 1;

let h: ServerHarness;
let b: ConsoleBrowser;

async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Replaces the end of the editor line holding `has`: `count` characters deleted, `text` typed (as a person does). */
async function editLineEnd(page: Page, has: string, count: number, text: string) {
  const line = page.locator('.cm-line', { hasText: has }).first();
  await line.scrollIntoViewIfNeeded();
  await line.click();
  await page.waitForTimeout(150);
  await page.keyboard.press('End');
  for (let i = 0; i < count; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
  await page.keyboard.press('Escape'); // closes a completion popup, if any
}

beforeAll(async () => {
  h = await startServerHarness({ recipes: ['app-signup'] });
  await h.bridge.engine.startWorker({ concurrency: 1, pollingIntervalSeconds: 0.2 });
  for (const body of [
    { id: 'ghl-main', app: 'ghl-location', name: 'GHL', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } },
    { id: 'my-app', app: 'webhook', name: 'My app', config: { source: 'my-app' }, secrets: { signingSecret: SECRET } },
  ]) {
    const res = await h.call('POST', '/api/v1/connections', { body });
    if (res.status !== 201) throw new Error(`connection ${body.id}: ${res.status} ${res.text}`);
  }
  const raw = JSON.stringify({ type: 'user.created', timestamp: new Date().toISOString(), data: { id: 'usr_browser_1', email: 'grace@example.com', name: 'Grace Hopper', plan: 'pro', createdAt: '2026-12-01T10:00:00Z' } });
  await h.call('POST', '/hooks/my-app', { raw, headers: { 'content-type': 'application/json', ...standardWebhookHeaders(SECRET, { id: 'msg_browser_1', timestamp: Math.floor(Date.now() / 1000), body: raw }) } });
  await until(async () => {
    const { rows } = await h.bridge.db.query<{ status: string }>("select status from runs where recipe_id = 'app-signup'");
    return rows[0] && !['queued', 'running'].includes(rows[0].status) ? rows[0].status : undefined;
  });
  b = await openConsole(h.url, '/recipes');
}, 90_000);

afterEach(async (ctx) => {
  // what the page showed when a step failed, for whoever reads the failure
  if (ctx.task.result?.state === 'fail' && b) await screenshot(b.page, `recipes-failed-${ctx.task.name.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}`);
});

afterAll(async () => {
  await b?.close();
  await h?.close();
});

describe('Recipes view (Chromium)', () => {
  it('lists the recipes with their 24 h outcomes; the switch disables and enables', async () => {
    const { page } = b;
    await page.getByRole('table', { name: 'Recipes' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'app-signup' });
    await row.getByText('1 succeeded').waitFor();
    await row.getByText('v1').waitFor();
    const toggle = page.getByRole('switch', { name: 'Enabled: app-signup' });
    expect(await toggle.isChecked()).toBe(true);
    await toggle.click();
    await until(async () => ((await h.call('GET', '/api/v1/recipes')).json.items as Array<{ id: string; enabled: boolean }>).find((r) => r.id === 'app-signup')?.enabled === false || undefined);
    await row.getByText('disabled').waitFor();
    await screenshot(page, 'recipes-list');
    await expectAccessible(page, 'recipes list');
    await page.getByRole('switch', { name: 'Enabled: app-signup' }).click();
    await row.getByText('enabled').waitFor();
  });

  it('the editor marks a validation error at its line, and lists it', async () => {
    const { page } = b;
    await page.getByRole('link', { name: /Your app sign-up/ }).click();
    await page.waitForURL(/\/recipes\/app-signup$/);
    await page.locator('.cm-content').waitFor();
    // the first validation has answered: the editor is settled
    await page.getByText('No problem found by the validator.').waitFor();
    await editLineEnd(page, 'transforms: [email]', 8, 'emial] }');
    const problems = page.getByRole('alert', { name: 'Recipe problems' });
    await problems.getByText(/unknown transform "emial"/).waitFor();
    await problems.getByRole('button', { name: new RegExp(`^Line ${EMAIL_LINE}:`) }).waitFor();
    // the marked range sits on that line of the editor
    await page.locator('.cm-line', { hasText: 'emial' }).locator('.cm-lintRange-error').first().waitFor();
    expect(await page.getByRole('button', { name: 'Save new version' }).isDisabled()).toBe(true);
    await screenshot(page, 'recipes-editor-error');
    await editLineEnd(page, 'transforms: [emial]', 8, 'email] }');
    await page.getByText('No problem found by the validator.').waitFor();
  });

  it('the live preview shows the sample\'s contact, tags, task and note; a real event can be chosen; the dry run shows the GHL calls', async () => {
    const { page } = b;
    const preview = page.getByRole('region', { name: 'Mapping preview' });
    await preview.getByText('ada@example.com').waitFor();
    await preview.getByText('+ app-user').waitFor();
    await preview.getByText('Welcome Ada Lovelace').waitFor();
    await preview.getByText(/^Plan: free$/).waitFor();
    await page.getByRole('radio', { name: 'Recent event' }).check();
    await page.getByLabel('Stored event').selectOption({ index: 1 });
    await preview.getByText('grace@example.com').waitFor();
    // the stored event was applied already: the dry run says nothing would change, and why
    await page.getByRole('button', { name: 'Dry run', exact: true }).click();
    const dry = page.getByRole('region', { name: 'Dry run result' });
    await dry.getByText(/unchanged since the last sync/).waitFor();
    // the sample's record is new: the exact calls, with their field diffs
    await page.getByRole('radio', { name: 'Catalog sample' }).check();
    await preview.getByText('ada@example.com').waitFor();
    await page.getByRole('button', { name: 'Dry run', exact: true }).click();
    await dry.getByText(/upsert-contact/).first().waitFor();
    await dry.getByRole('table').first().waitFor();
    await screenshot(page, 'recipes-editor-preview');
    await expectAccessible(page, 'recipe editor');
  });

  it('saves a new version and shows its diff; the history lists and shows the versions', async () => {
    const { page } = b;
    await editLineEnd(page, 'tags: { value: [app-user] }', 3, ', vip] }');
    await page.getByText('unsaved changes').waitFor();
    await page.getByRole('button', { name: 'Save new version' }).click();
    const saved = page.getByRole('heading', { name: 'Saved as v2' });
    await saved.waitFor();
    const diff = page.getByLabel('Changes from v1 to v2');
    await diff.getByText('+    tags: { value: [app-user, vip] }').waitFor();
    await diff.getByText('-    tags: { value: [app-user] }').waitFor();
    await screenshot(page, 'recipes-saved-diff');
    expect(((await h.call('GET', '/api/v1/recipes/app-signup')).json as { version: number }).version).toBe(2);
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('table', { name: 'Versions' }).getByText('v2', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'View v1' }).click();
    await page.getByLabel('Text of version 1').getByText(/tags: \{ value: \[app-user\] \}/).waitFor();
    await screenshot(page, 'recipes-history');
    await expectAccessible(page, 'recipe history');
    await page.getByRole('tab', { name: 'Editor' }).click();
  });

  it('completes contact fields and {{ event paths }} from the server\'s schema; discard restores the saved text', async () => {
    const { page } = b;
    const line = page.locator('.cm-line', { hasText: 'companyName: data.company' }).first();
    await line.click();
    await page.waitForTimeout(150);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('cit');
    const popup = page.locator('.cm-tooltip-autocomplete');
    await popup.getByText('city', { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.type('y: { template: "{{data.em');
    await popup.getByText('data.email', { exact: true }).waitFor();
    await screenshot(page, 'recipes-completion');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await page.locator('.cm-line', { hasText: 'city' }).waitFor({ state: 'detached' });
    expect(await page.getByText('unsaved changes').count()).toBe(0);
  });

  it('unsaved changes hold navigation until the person confirms', async () => {
    const { page } = b;
    await editLineEnd(page, 'tags: { value: [app-user, vip] }', 3, ', x] }');
    await page.getByText('unsaved changes').waitFor();
    const dialogs: string[] = [];
    const dismiss = (d: import('playwright-core').Dialog) => { dialogs.push(d.message()); void d.dismiss(); };
    page.on('dialog', dismiss);
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await until(async () => (dialogs.length > 0 ? true : undefined));
    expect(dialogs[0]).toContain('unsaved changes');
    expect(new URL(page.url()).pathname).toBe('/recipes/app-signup');
    page.off('dialog', dismiss);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.waitForURL(/\/runs/);
  });

  it('builds a recipe with the no-YAML form: sample paths clicked, transforms, actions; preview, dry run and save', async () => {
    const { page } = b;
    await page.goto('/recipes/new');
    await page.getByLabel('Source app').selectOption('webhook');
    await page.getByLabel('Trigger', { exact: true }).selectOption('webhook.standard-webhooks');
    await page.getByLabel('Source connection').fill('my-app');
    await page.getByLabel('GHL connection').fill('ghl-main');
    await page.getByLabel('Recipe name').fill('Form sign-ups');
    await page.getByLabel('Recipe id').fill('form-signups');
    // row 1 (email) is selected: each click fills it and moves on to the next empty row
    await page.getByTitle('Use data.email').click();
    await page.getByTitle('Use data.name').click();
    await page.getByTitle('Use data.name').click();
    await page.getByTitle('Use data.phone').click();
    expect(await page.getByLabel('Source path, row 1').inputValue()).toBe('data.email');
    expect(await page.getByLabel('Source path, row 3').inputValue()).toBe('data.name');
    await page.getByLabel('Default country, row 4').fill('GB');
    await page.getByRole('checkbox', { name: 'Add tags' }).check();
    await page.getByLabel('Tags', { exact: true }).fill('signup, trial');
    await page.getByRole('checkbox', { name: 'Create a task' }).check();
    await page.getByLabel('Task title').fill('Call {{data.name}}');
    await page.getByLabel('Due in').fill('+1d');
    const yaml = page.getByLabel('Generated YAML');
    await yaml.getByText(/add: \{ value: \[signup, trial\] \}/).waitFor();
    await yaml.getByText(/phone: \{ path: data.phone, transforms: \[\{ phone: \{ defaultCountry: GB \} \}\] \}/).waitFor();

    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    const preview = page.getByRole('region', { name: 'Mapping preview' });
    await preview.getByText('ada@example.com').waitFor();
    await preview.getByText('+ trial').waitFor();
    await preview.getByText('Call Ada Lovelace').waitFor();
    await page.getByRole('button', { name: 'Dry run', exact: true }).click();
    await page.getByRole('region', { name: 'Dry run result' }).getByText(/upsert-contact/).first().waitFor();
    await screenshot(page, 'recipes-form');
    await expectAccessible(page, 'recipe form');

    await page.getByRole('button', { name: 'Save recipe' }).click();
    await page.getByRole('heading', { name: 'Saved recipe form-signups' }).waitFor();
    const saved = await h.call('GET', '/api/v1/recipes/form-signups');
    expect(saved.status).toBe(200);
    expect(saved.json.text).toContain('add: { value: [signup, trial] }');
    expect(saved.json.definition).toMatchObject({ name: 'Form sign-ups', trigger: { source: 'my-app', events: ['user.created'] }, actions: [{ type: 'upsertContact' }, { type: 'tags' }, { type: 'task' }] });
    await page.getByRole('button', { name: 'Open in the editor' }).click();
    await page.waitForURL(/\/recipes\/form-signups$/);
    await page.locator('.cm-line', { hasText: 'Call {{data.name}}' }).first().waitFor();
    expect(b.errors.join('\n')).toBe('');
    expectNoPageErrors(b.errors);
  });
});
