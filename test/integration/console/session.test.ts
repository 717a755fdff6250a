/**
 * The console's sign-in in a real browser: the one-time link signs in once; an expired session
 * sends the person to sign-in and back to the same page; sign out ends it; the pages keep their
 * CSP (no violation logged) and pass axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startServerHarness, type ServerHarness } from '../server/harness.js';
import { expectAccessible, expectNoPageErrors, loginLink, openConsole, screenshot, type ConsoleBrowser } from '../../support/browser.js';

describe('console sign-in (Chromium)', () => {
  let h: ServerHarness;
  let b: ConsoleBrowser;
  beforeAll(async () => {
    h = await startServerHarness();
    b = await openConsole(h.url, '/recipes');
  });
  afterAll(async () => {
    await b?.close();
    await h?.close();
  });

  it('the one-time link lands signed in on the page it names, with the navigation', async () => {
    const { page } = b;
    await page.waitForURL(/\/recipes$/);
    expect(await page.getByRole('link', { name: 'Recipes', exact: true }).getAttribute('aria-current')).toBe('page');
    expectNoPageErrors(b.errors);
  });

  it('the skip link is the first stop of the keyboard and moves focus to the content', async () => {
    const { page } = b;
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent)).toBe('Skip to content');
  });

  it('a used link does not sign in again: sign-in says why', async () => {
    const link = await loginLink(h.url, '/runs');
    const other = await openConsole(h.url, link, { signIn: false });
    try {
      await other.page.waitForURL(/\/runs$/);
      const again = await other.browser.newContext({ baseURL: h.url });
      const page = await again.newPage();
      await page.goto(link);
      await page.waitForURL(/\/sign-in/);
      await page.getByText('already used or has expired').waitFor();
      await expectAccessible(page, 'sign-in');
      await screenshot(page, 'sign-in');
    } finally {
      await other.close();
    }
  });

  it('an expired session returns to sign-in, and signing in comes back to the same page', async () => {
    const { page } = b;
    await page.goto('/runs?status=dead');
    await page.waitForURL(/\/runs\?status=dead$/);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await h.bridge.db.query(`update console_sessions set expires_at = now() - interval '1 minute'`);
    // a live page notices by itself (its next poll); an idle one on the next navigation
    await page.waitForURL(/\/sign-in\?/, { timeout: 3000 }).catch(() => page.getByRole('link', { name: 'Recipes', exact: true }).click());
    await page.waitForURL(/\/sign-in\?/);
    await page.getByText('Your session expired').waitFor();
    const url = new URL(page.url());
    expect(url.searchParams.get('next')).toMatch(/^\/(recipes|runs)/);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').first().waitFor();
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => { const u = new URL(page.url()); return u.pathname + u.search; }).toBe(url.searchParams.get('next'));
  });

  it('sign out ends the session on the server', async () => {
    const { page, context } = b;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    const cookies = await context.cookies();
    const res = await fetch(`${h.url}/api/v1/session`, { headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') } });
    expect(res.status).toBe(401);
  });
});
