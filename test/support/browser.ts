/**
 * The console's browser tests: Debian's Chromium driven by playwright-core, headless, with the
 * flags this network-less machine needs, a fresh profile each launch (playwright's own temp
 * user-data-dir), signed in through a real one-time login link of the server under test.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ADMIN_TOKEN } from '../integration/server/harness.js';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../test-output/screenshots');

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface ConsoleBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** what the page logged as errors (CSP violations, uncaught exceptions, failed loads) */
  errors: string[];
  close(): Promise<void>;
}

/** Launches Chromium headless with a new, empty profile. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 20_000 });
}

/**
 * Opens the console of the server at `baseUrl`, signed in through a one-time login link asked
 * for with the admin token (as the demo prints one), landing on `path`.
 *
 * @example
 * const { page, close } = await openConsole(h.url, '/runs');
 */
export async function openConsole(baseUrl: string, path = '/', options: { signIn?: boolean } = {}): Promise<ConsoleBrowser> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1360, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  if (options.signIn === false) await page.goto(path);
  else await page.goto(await loginLink(baseUrl, path));
  return { browser, context, page, errors, close: () => browser.close() };
}

/** A one-time login link of the server (relative to it) that lands on `next`. */
export async function loginLink(baseUrl: string, next = '/'): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/login-links`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ next }) });
  if (res.status !== 201) throw new Error(`login link: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { url: string }).url;
}

/** Writes `test-output/screenshots/<name>.png` (gitignored) for a reviewer to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  // from the top, so sticky parts (the sidebar) sit where a person sees them
  await page.mouse.wheel(0, -100_000);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A picture of one part of the page (a card, a table) into the same folder. */
export async function screenshotOf(part: Locator, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name}.png`);
  await part.screenshot({ path: file });
  return file;
}

interface AxeViolation { id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }

/**
 * Runs axe-core on the page as it is now and fails on any serious or critical violation, naming
 * each rule and where. (axe is evaluated through the DevTools protocol, which the page's CSP
 * does not govern, so the CSP stays on.)
 */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  await page.evaluate(axeSource);
  // runs in the page (a browser global scope, which this file's Node types do not describe)
  const violations = await page.evaluate(async () => {
    const g = globalThis as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: AxeViolation[] }> }; document: unknown };
    const r = await g.axe.run(g.document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${where}`).toEqual([]);
}

/**
 * Fails on errors the page logged (a CSP violation or an uncaught exception shows up here). A 4xx
 * answer is the API refusing input the page then shows, which Chromium also logs: not a fault.
 */
export function expectNoPageErrors(errors: string[], allow: RegExp[] = []): void {
  const unexpected = errors.filter((e) => !allow.some((a) => a.test(e)) && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(e));
  expect(unexpected, 'errors the page logged').toEqual([]);
}
