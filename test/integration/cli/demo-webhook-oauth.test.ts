import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, killLeftovers, runCli, startCli, type LongRunning } from './harness.js';

/**
 * The demo's own webhook and OAuth, as a new user tries them from the banner: `webhook send`
 * (signed by the server) makes a run of app-signup and a contact in the sandbox; the banner's
 * curl and `--print-curl`'s are accepted as printed; `connect ghl` against the sandbox's
 * marketplace app ends with a connected location whose tokens work.
 */

const dir = mkdtempSync(join(tmpdir(), 'ghlb-cli-demo-try-'));
let demo: LongRunning;
let url = '';
let sandbox = '';
let locationId = '';

afterAll(async () => {
  await demo?.stop('SIGINT');
  killLeftovers();
  rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  demo = await startCli(['demo', '--data', join(dir, 'data'), '--port', '0', '--sandbox-port', '0', '--events-every', '200', '--max-events', '2', '--log-level', 'info'], { cwd: dir, timeoutMs: 90_000 });
  const out = demo.stdout();
  url = demo.line.replace(/^ready /, '');
  sandbox = /GHL sandbox\s+(http:\/\/\S+)/.exec(out)![1]!;
  locationId = /\(location (\S+);/.exec(out)![1]!;
}, 120_000);

/** The printed command, as words (the banner's lines hold no quoted arguments). */
function printed(pattern: RegExp): string[] {
  const line = demo.stdout().split('\n').find((l) => pattern.test(l));
  if (!line) throw new Error(`no line ${pattern} in the banner:\n${demo.stdout()}`);
  return line.trim().split(/\s+/).slice(2);
}

/** A curl line (`-H 'k: v'` …) as a fetch: the headers as printed, the body from --data-binary @file or --data-raw. */
async function replayCurl(line: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const target = /-X POST '?(http:\/\/[^\s']+)'?/.exec(line)![1]!;
  const headers = Object.fromEntries([...line.matchAll(/-H '([^:]+): ([^']*)'/g)].map((m) => [m[1]!, m[2]!]));
  const file = /--data-binary @(\S+)/.exec(line)?.[1];
  const body = file ? readFileSync(join(dir, file), 'utf8') : /--data-raw '(.*)'$/.exec(line)![1]!.replace(/'\\''/g, "'");
  const res = await fetch(target, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function contactByEmail(email: string) {
  const res = await fetch(`${sandbox}/_sandbox/locations/${locationId}/contacts`);
  const { contacts } = (await res.json()) as { contacts: Array<{ id: string; email?: string | null; firstName?: string | null; source?: string | null }> };
  return contacts.find((c) => c.email === email);
}

describe('the demo banner: my-app webhook', { timeout: 120_000 }, () => {
  it('shows the signing secret, the example file, webhook send and a signed curl; the secret is in no log line', () => {
    const out = demo.stdout();
    const secret = /signing secret (whsec_\S+)\)/.exec(out)?.[1];
    expect(secret).toBeDefined();
    expect(out).toContain(`npx ghl-bridge webhook send my-app --payload data/examples/signup.json --url ${url}`);
    expect(out).toMatch(/curl -sS -X POST \S+\/hooks\/my-app .*--data-binary @data\/examples\/signup\.json {3}\(signed now: valid 5 minutes\)/);
    const example = JSON.parse(readFileSync(join(dir, 'data', 'examples', 'signup.json'), 'utf8')) as { type: string; data: { email: string } };
    expect(example.type).toBe('user.created');
    expect(demo.stderr()).toContain('"level"');
    expect(demo.stderr().includes(secret!)).toBe(false);
  });

  it('webhook send, as printed: the server signs, the ingress stores the event, app-signup runs, the contact is in the sandbox', async () => {
    const r = await runCli(printed(/webhook send my-app/), { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^sent user\.created to my-app \(standard-webhooks, signed by the server\): 200, 1 stored, 0 duplicate\(s\)/);
    const run = /run (\d+) {2}app-signup v1/.exec(r.stdout);
    expect(run, r.stdout).not.toBeNull();
    expect(r.stdout).toContain(`Follow it: npx ghl-bridge runs show ${run![1]}`);
    const contact = await eventually(() => contactByEmail('try.me@example.com'), 'the contact of the example sign-up', 60_000);
    expect(contact).toMatchObject({ firstName: 'Try', source: 'My app' });
  });

  it('the same message id twice is a duplicate, and the answer says so (nothing runs again)', async () => {
    const args = [...printed(/webhook send my-app/), '--id', 'msg_twice', '--json'];
    const first = JSON.parse((await runCli(args, { cwd: dir })).stdout) as { events: Array<{ duplicate: boolean; runs: unknown[] }> };
    const again = await runCli(args, { cwd: dir });
    expect(again.code).toBe(0);
    const second = JSON.parse(again.stdout) as { status: number; answer: { duplicates: number }; events: Array<{ duplicate: boolean; runs: unknown[] }> };
    expect(first.events[0]!.duplicate).toBe(false);
    expect(second).toMatchObject({ status: 200, answer: { accepted: 0, duplicates: 1 }, events: [{ duplicate: true, runs: [] }] });
  });

  it("the banner's curl and --print-curl's are accepted by the ingress as printed", async () => {
    const banner = demo.stdout().split('\n').find((l) => l.includes('curl -sS -X POST') && l.includes('/hooks/my-app'))!;
    expect(await replayCurl(banner)).toMatchObject({ status: 200, body: { ok: true } });
    const p = await runCli([...printed(/webhook send my-app/), '--print-curl'], { cwd: dir });
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/^curl -sS -X POST /);
    expect(await replayCurl(p.stdout.trim())).toMatchObject({ status: 200, body: { ok: true, accepted: 1 } });
  });

  it('refuses, exit 2 with the reason: a connection of another app, a payload without its type, a payload that is not an object', async () => {
    const base = printed(/webhook send my-app/);
    const erp = await runCli(['webhook', 'send', 'erp-main', ...base.slice(3)], { cwd: dir });
    expect(erp.code).toBe(2);
    expect(erp.stderr).toContain('connection "erp-main" is of app erp: webhook send signs for your-app connections (app webhook) only');
    writeFileSync(join(dir, 'untyped.json'), JSON.stringify({ data: { id: 'u9' } }));
    const untyped = await runCli(['webhook', 'send', 'my-app', '--payload', 'untyped.json', '--url', url], { cwd: dir });
    expect(untyped.code).toBe(2);
    expect(untyped.stderr).toContain('payload.type: required, the event type (e.g. user.created): put it in the payload or pass --type');
    writeFileSync(join(dir, 'list.json'), '[1]');
    const list = await runCli(['webhook', 'send', 'my-app', '--payload', 'list.json', '--url', url], { cwd: dir });
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('--payload list.json: expected a JSON object (the body your app sends), got a list');
    const missing = await runCli(['webhook', 'send', 'nope', '--payload', 'untyped.json', '--url', url], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no connection "nope"');
  });

  it('signs for any webhook connection as its scheme expects (a Stripe-style one here: every scheme is in sign.test.ts), and the answer never holds a secret', async () => {
    const secret = 'whsec_stripe_style_secret_for_the_test_0001';
    const add = await runCli(['connections', 'add', '--app', 'webhook', '--id', 'billing', '--name', 'Billing', '--config', '{"source":"billing","scheme":"stripe"}', '--secret', `signingSecret=${secret}`, '--url', url], { cwd: dir });
    expect(add.code, add.stderr).toBe(0);
    writeFileSync(join(dir, 'invoice.json'), JSON.stringify({ id: 'evt_1', type: 'invoice.paid', data: { object: { id: 'in_1' } } }));
    const sent = await runCli(['webhook', 'send', 'billing', '--payload', 'invoice.json', '--url', url, '--json'], { cwd: dir });
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ connectionId: 'billing', scheme: 'stripe', type: 'invoice.paid', source: 'billing', delivered: true, status: 200, answer: { accepted: 1 }, events: [{ externalId: 'evt_1', duplicate: false, runs: [] }] });
    expect(sent.stdout.includes(secret)).toBe(false);
    const curl = await runCli(['webhook', 'send', 'billing', '--payload', 'invoice.json', '--url', url, '--print-curl'], { cwd: dir });
    expect(curl.stdout).toMatch(/-H 'stripe-signature: t=\d+,v1=[0-9a-f]{64}'/);
    expect(curl.stdout.includes(secret)).toBe(false);
    // the Stripe id travels in the body: the same event again is a duplicate
    expect(await replayCurl(curl.stdout.trim())).toMatchObject({ status: 200, body: { ok: true, accepted: 0, duplicates: 1 } });
  });

  it('--type writes the event type; an event no recipe handles says so', async () => {
    const r = await runCli(['webhook', 'send', 'my-app', '--payload', 'untyped.json', '--type', 'nothing.handled', '--url', url], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sent nothing.handled to my-app');
    expect(r.stderr).toContain('no enabled recipe handles nothing.handled from source my-app');
  });
});

describe('the demo banner: connect ghl against the sandbox OAuth', { timeout: 120_000 }, () => {
  it('the printed command gives a link; a browser following it ends with ghl-2 connected, and its tokens answer a call', async () => {
    expect(demo.stdout()).toContain(`npx ghl-bridge connect ghl --connection ghl-2 --url ${url}`);
    const link = await runCli(printed(/connect ghl --connection ghl-2/), { cwd: dir });
    expect(link.code).toBe(0);
    // the browser: the link sets the state cookie and goes to the sandbox's authorize page
    const start = await fetch(link.stdout.trim(), { redirect: 'manual' });
    expect(start.status).toBe(302);
    const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(sandbox);
    const page = await fetch(authorize);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(locationId);
    const form = new URLSearchParams({ client_id: authorize.searchParams.get('client_id')!, redirect_uri: authorize.searchParams.get('redirect_uri')!, scope: authorize.searchParams.get('scope')!, state: authorize.searchParams.get('state')!, location_id: locationId });
    const chosen = await fetch(authorize, { method: 'POST', body: form, redirect: 'manual' });
    expect(chosen.status).toBe(302);
    const callback = chosen.headers.get('location')!;
    expect(callback.startsWith(`${url}/oauth/callback?`)).toBe(true);
    const done = await fetch(callback, { headers: { cookie } });
    expect(done.status, await done.clone().text()).toBe(200);
    expect(await done.text()).toContain(locationId);
    const test = await runCli(['connections', 'test', 'ghl-2', '--url', url], { cwd: dir });
    expect(test.stderr).toBe('');
    expect(test.code).toBe(0);
    expect(test.stdout).toContain(`ok: GHL location ${locationId} answered`);
  });
});
