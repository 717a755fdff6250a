import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpFake, type ErpFake } from '../../../src/connectors/erp/index.js';
import type { RunSummary } from '../../../src/server/queries/runs.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { admin, cliJson, editConfig, eventually, gateProxy, killLeftovers, runCli, sendSignedWebhook, startCli, type GateProxy, type LongRunning } from './harness.js';
import { addConnections, createProject, ERP_KEY, LATE_PIT, SIGNING_SECRET, type Project } from './project.js';

/**
 * The CLI end to end on the embedded database, as a user drives it: init, start, connections
 * add, a signed webhook in, the contact in the admin API and in the sandbox, a dead letter fixed
 * and replayed, full syncs with their summary, a Ctrl-C'd sync resumed, exit codes.
 */

interface Contact {
  id: string;
  email?: string | null;
  source?: string | null;
}

let sb: TestSandbox;
let erp: ErpFake;
let erpSlow: ErpFake;
let slow: GateProxy;
let p: Project;
let server: LongRunning;
let url: string;

const cli = (args: string[]) => runCli(args, { cwd: p.dir });
const contacts = async () => ((await sb.api<{ contacts: Contact[] }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`)).body).contacts;
const runsOf = (recipe: string) => admin<{ items: RunSummary[] }>(url, p.token, `/runs?recipe=${recipe}`).then((r) => r.items);
const settled = (recipe: string, n: number) =>
  eventually(async () => {
    const runs = await runsOf(recipe);
    return runs.length >= n && runs.every((r) => r.status !== 'queued' && r.status !== 'running') ? runs : undefined;
  }, `${n} settled runs of ${recipe}`);

beforeAll(async () => {
  sb = await startSandbox();
  erp = await createErpFake({ apiKey: ERP_KEY });
  for (let i = 1; i <= 12; i++) erp.upsertCustomer({ id: `C${i}`, name: `Customer Number${i}`, email: `c${i}@erp.cli.test` });
  erpSlow = await createErpFake({ apiKey: ERP_KEY });
  for (let i = 1; i <= 24; i++) erpSlow.upsertCustomer({ id: `S${i}`, name: `Slow Customer${i}`, email: `s${i}@erp.cli.test` });
  slow = await gateProxy(erpSlow.url);
  p = await createProject({ sandboxUrl: sb.url, prefix: 'ghlb-cli-e2e-' });
  // OAuth connect with the sandbox's marketplace app (its client secret from the environment, as in production)
  editConfig(p.configFile, [
    [/^ {2}# oauth:$/m, '  oauth:'],
    [/^ {2}# {3}clientId: .*$/m, `    clientId: ${sb.info.clientId}`],
  ]);
  server = await startCli(['start', ...p.cfg], { cwd: p.dir, env: { GHL_CLIENT_SECRET: sb.info.clientSecret } });
  url = server.line.replace(/^ready /, '');
  await addConnections(p, url, { locationId: sb.info.locationId, pit: sb.info.pit, erpUrl: erp.url });
}, 120_000);

afterAll(async () => {
  killLeftovers();
  await slow?.close();
  await erp?.close();
  await erpSlow?.close();
  await sb?.close();
  if (p) rmSync(p.dir, { recursive: true, force: true });
}, 60_000);

describe('ghl-bridge start (embedded database)', { timeout: 120_000 }, () => {
  it('prints ready <url> on stdout, lists the broken recipe and loads the others', async () => {
    expect(server.line).toMatch(/^ready http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.stderr()).toContain('recipe not loaded:');
    expect(server.stderr()).toContain('cli-broken.yaml: mapping.contact.email.transforms[0]: unknown transform "emial"');
    const recipes = await cliJson<Array<{ id: string; enabled: boolean; connection: string }>>(['recipes', 'list', ...p.at(url)], { cwd: p.dir });
    expect(recipes.map((r) => r.id).sort()).toEqual(['cli-signup', 'cli-vip', 'erp-customers']);
  });

  it('a start without a terminal prints no sign-in link; console-link prints one that signs in once', async () => {
    expect(server.stdout()).toContain('Console: http://127.0.0.1:');
    expect(server.stdout()).not.toContain('/login?token=');
    expect(server.stdout()).toContain('ghl-bridge console-link');
    const r = await cli(['console-link', '--next', '/runs', ...p.at(url)]);
    expect(r.code, r.stderr).toBe(0);
    const link = r.stdout.trim();
    expect(link).toMatch(new RegExp(`^${url}/login\\?token=[\\w-]+&next=%2Fruns$`));
    const first = await fetch(link, { redirect: 'manual' });
    expect([first.status, first.headers.get('location'), first.headers.get('set-cookie')]).toEqual([303, '/runs', expect.stringMatching(/^ghlb_session=/)]);
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.headers.get('location')).toMatch(/^\/sign-in\?error=link-used-or-expired/);
  });

  it('lists connections without any secret, and tests them', async () => {
    const r = await cli(['connections', 'list', '--json', ...p.at(url)]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ id: string; app: string; hasSecrets: boolean }>;
    expect(list.map((c) => [c.id, c.app, c.hasSecrets])).toEqual([['ghl-main', 'ghl-location', true], ['ghl-second', 'ghl-location', true], ['my-app', 'webhook', true], ['erp-main', 'erp', true]]);
    for (const secret of [sb.info.pit, LATE_PIT, SIGNING_SECRET, ERP_KEY, p.token]) expect(r.stdout).not.toContain(secret);
    const human = await cli(['connections', 'list', ...p.at(url)]);
    expect(human.stdout).toMatch(/^ID\s+APP\s+NAME\s+SECRETS/);
    expect(human.stdout).not.toContain('\u001b[');
    const ok = await cli(['connections', 'test', 'ghl-main', ...p.at(url)]);
    expect([ok.code, ok.stdout]).toEqual([0, expect.stringMatching(/^ok: GHL location \S+ answered/)]);
    const erpTest = await cli(['connections', 'test', 'erp-main', ...p.at(url)]);
    expect([erpTest.code, erpTest.stdout.trim()]).toEqual([0, 'ok: erp answered erp.listCustomers']);
    // the second token is not known to GHL yet: the test fails with exit 1 and says what to do
    const refused = await cli(['connections', 'test', 'ghl-second', ...p.at(url)]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("failed: GHL: HighLevel refused the Private Integration Token (401): create a new Private Integration Token in the location's settings (Settings → Private Integrations) with scopes contacts.readonly contacts.write, then `ghl-bridge connections remove ghl-second && ghl-bridge connections add --app ghl-location --id ghl-second");
    expect(refused.stdout).not.toContain(LATE_PIT);
    const dup = await cli(['connections', 'add', '--app', 'erp', '--name', 'again', '--id', 'erp-main', '--config', '{"baseUrl":"http://127.0.0.1:9"}', '--secret', `apiKey=${ERP_KEY}`, '--url', url, '--config-file', p.configFile]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).not.toContain(ERP_KEY);
  });

  it('connect ghl prints a single-use link to the authorize page; a second use is refused', async () => {
    const r = await cli(['connect', 'ghl', '--connection', 'ghl-oauth', ...p.at(url)]);
    expect(r.code).toBe(0);
    const link = r.stdout.trim();
    expect(link).toMatch(new RegExp(`^${url.replace(/[.]/g, '\\.')}/connect/ghl\\?ticket=[A-Za-z0-9_-]{43}$`));
    expect(r.stderr).toContain('Open this link in a browser');
    expect(r.stderr).toContain('fills connection ghl-oauth');
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(new URL(first.headers.get('location')!).searchParams.get('redirect_uri')).toBe(`${url}/oauth/callback`);
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(403);
    const json = await cliJson<{ url: string; connectionId: string | null }>(['connect', 'ghl', ...p.at(url)], { cwd: p.dir });
    expect(json).toMatchObject({ url: expect.stringMatching(/\/connect\/ghl\?ticket=/), connectionId: null });
    // not a GHL connection: refused (exit 1), nothing issued
    const wrong = await cli(['connect', 'ghl', '--connection', 'my-app', ...p.at(url)]);
    expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringContaining('not a GHL location')]);
    expect((await cli(['connect', 'ghl', '--connection', 'bad id!', ...p.at(url)])).code).toBe(2);
  });

  it('a signed webhook makes a contact, visible through the admin API and in the sandbox', async () => {
    expect(await sendSignedWebhook(url, 'my-app', SIGNING_SECRET, 'msg_cli_1', { type: 'user.created', data: { id: 'u1', email: 'Ada@CLI.test', name: 'Ada Lovelace' } })).toBe(200);
    await settled('cli-signup', 1);
    const runs = await cliJson<RunSummary[]>(['runs', 'list', '--recipe', 'cli-signup', ...p.at(url)], { cwd: p.dir });
    expect(runs.map((r) => [r.recipeId, r.status, r.recordKey])).toEqual([['cli-signup', 'succeeded', 'app:u1']]);
    const ada = (await contacts()).find((c) => c.email === 'ada@cli.test');
    expect(ada).toMatchObject({ source: 'CLI test' });
    const byContact = await cliJson<RunSummary[]>(['runs', 'list', '--contact', ada!.id, ...p.at(url)], { cwd: p.dir });
    expect(byContact.map((r) => r.id)).toEqual([runs[0]!.id]);
    const shown = await cliJson<{ status: string; steps: Array<{ status: string; ghlId: string }> }>(['runs', 'show', String(runs[0]!.id), ...p.at(url)], { cwd: p.dir });
    expect(shown).toMatchObject({ status: 'succeeded', steps: [{ status: 'done', ghlId: ada!.id }] });
    const human = await cli(['runs', 'list', ...p.at(url)]);
    expect(human.stdout).toMatch(/^ID\s+STATUS\s+RECIPE\s+RECORD/);
    expect(human.stdout).toMatch(/\n\d+\s+succeeded\s+cli-signup@1\s+app:u1/);
  });

  it('a run GHL refuses (401) waits for its connection (not a dead letter); once the token works again, it completes by itself', async () => {
    expect(await sendSignedWebhook(url, 'my-app', SIGNING_SECRET, 'msg_cli_2', { type: 'user.vip', data: { id: 'v1', email: 'grace@cli.test', name: 'Grace Hopper' } })).toBe(200);
    // within one run the connection is held, and its run waits in the queue without spending attempts
    await expect.poll(async () => (await cliJson<Array<{ id: string; needsReauth?: { reason: string } }>>(['connections', 'list', ...p.at(url)], { cwd: p.dir })).find((c) => c.id === 'ghl-second')?.needsReauth, { timeout: 20_000 }).toBeDefined();
    const waiting = await cliJson<RunSummary[]>(['runs', 'list', '--recipe', 'cli-vip', ...p.at(url)], { cwd: p.dir });
    expect(waiting.map((r) => [r.status, r.attempts])).toEqual([['queued', 0]]);
    expect(await cliJson<RunSummary[]>(['dlq', 'list', ...p.at(url)], { cwd: p.dir })).toEqual([]);
    const human = await cli(['connections', 'list', ...p.at(url)]);
    expect(human.stdout).toContain('needs re-authorization');
    expect(human.stdout).toContain('ghl-bridge connections remove ghl-second');
    expect(human.stdout).not.toContain(LATE_PIT);
    // the fix happens in GHL (the token becomes valid): the held connection is tried again and the run completes
    expect((await sb.api('POST', '/_sandbox/seed', { body: { pits: [{ token: LATE_PIT, locationId: sb.info.locationId, scopes: ['contacts.readonly', 'contacts.write'] }] } })).status).toBe(200);
    const after = await settled('cli-vip', 1);
    expect(after.map((r) => r.status)).toEqual(['succeeded']);
    expect((await contacts()).filter((c) => c.email === 'grace@cli.test')).toHaveLength(1);
    // nothing to replay; a run id that is no dead letter fails, no selection is a usage error
    expect((await cli(['dlq', 'replay', after[0]!.id.toString(), ...p.at(url)])).code).toBe(1);
    expect((await cli(['dlq', 'replay', ...p.at(url)])).code).toBe(2);
  });

  it('sync --full lists every ERP customer through the recipe and ends with a summary', async () => {
    const first = await cliJson<{ status: string; records: number; created: number; updated: number; unchanged: number; failed: number }>(['sync', '--full', 'erp-customers', '--connection', 'erp-main', ...p.at(url)], { cwd: p.dir });
    expect(first).toMatchObject({ status: 'done', records: 12, created: 12, updated: 0, unchanged: 0, failed: 0 });
    expect((await contacts()).filter((c) => c.email?.endsWith('@erp.cli.test')).length).toBe(12);
    // again: nothing changed, so nothing is written; the human summary is a table
    erp.upsertCustomer({ id: 'C1', name: 'Customer Renamed' });
    const again = await cli(['sync', '--full', 'erp-customers', '--connection', 'erp-main', ...p.at(url)]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/sync \d+ done: erp-main → erp-customers; 12 records listed, 12 matched, 12 ingested/);
    expect(again.stdout).toMatch(/CREATED\s+UPDATED\s+UNCHANGED\s+FAILED\n0\s+1\s+11\s+0/);
    // refusals: unknown connection (1), missing --connection (2)
    const unknown = await cli(['sync', '--full', 'erp-customers', '--connection', 'nope', ...p.at(url)]);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining('no connection "nope"')]);
    expect((await cli(['sync', '--full', 'erp-customers', ...p.at(url)])).code).toBe(2);
  });

  it('Ctrl-C cancels a running sync and says how to resume it; --resume finishes it without ingesting twice', async () => {
    const add = await cli(['connections', 'add', '--app', 'erp', '--name', 'Slow ERP', '--id', 'erp-slow', '--config', JSON.stringify({ baseUrl: slow.url, pageSize: 2 }), '--secret', `apiKey=${ERP_KEY}`, '--url', url, '--config-file', p.configFile]);
    expect(add.code).toBe(0);
    // the ERP's pages wait at the gate until the test lets them through: the Ctrl-C lands mid-sync whatever the machine's speed
    slow.hold();
    const sync = await startCli(['sync', '--full', 'erp-customers', '--connection', 'erp-slow', ...p.at(url)], { cwd: p.dir, ready: /^$/ });
    const started = await sync.waitForStderr(/sync (\d+) started/);
    const id = /sync (\d+)/.exec(started)![1]!;
    await slow.waitHeld();
    expect(await sync.stop('SIGINT')).toBe(1);
    slow.release();
    expect(sync.stderr()).toContain(`ghl-bridge sync --resume ${id}`);
    const cancelled = await admin<{ status: string; ingested: number; running: boolean }>(url, p.token, `/syncs/${id}`);
    expect(cancelled).toMatchObject({ status: 'cancelled', ingested: 0, running: false });
    const resumed = await cliJson<{ syncId: number; status: string; records: number; created: number; failed: number }>(['sync', '--resume', id, ...p.at(url)], { cwd: p.dir });
    expect(resumed).toMatchObject({ syncId: Number(id), status: 'done', created: 24, failed: 0 });
    const runs = await admin<{ items: RunSummary[] }>(url, p.token, '/runs?recipe=erp-customers&limit=500');
    expect(runs.items.filter((r) => r.recordKey?.startsWith('erp:S')).length).toBe(24);
  });

  it('exit codes: wrong token 4 with the token file named, bad input 2, unreachable 3', async () => {
    const wrong = await cli(['runs', 'list', '--token', 'gbat_not-the-right-token-000000000', ...p.at(url)]);
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain('the admin token is wrong');
    expect(wrong.stderr).not.toContain(p.token);
    const badFilter = await cli(['sync', '--full', 'erp-customers', '--connection', 'erp-main', '--filter', '{"path":1}', ...p.at(url)]);
    expect(badFilter.code).toBe(2);
    const missing = await cli(['recipes', 'validate', `${p.dir}/recipes/nope.yaml`]);
    expect(missing.code).toBe(2);
    const invalid = await cli(['recipes', 'validate', `${p.dir}/recipes/cli-broken.yaml`]);
    expect([invalid.code, invalid.stdout]).toEqual([1, expect.stringContaining('mapping.contact.email.transforms[0]: unknown transform "emial"')]);
    const valid = await cli(['recipes', 'validate', `${p.dir}/recipes/cli-signup.yaml`, '--json']);
    expect([valid.code, JSON.parse(valid.stdout)]).toEqual([0, { ok: true, kind: 'recipe', id: 'cli-signup', errors: [] }]);
  });

  it('stops gracefully on SIGINT with exit 0, and the token file was never logged', async () => {
    const code = await server.stop('SIGINT');
    expect(code).toBe(0);
    for (const secret of [p.token, sb.info.pit, LATE_PIT, SIGNING_SECRET, ERP_KEY, sb.info.clientSecret]) {
      expect(server.stdout()).not.toContain(secret);
      expect(server.stderr()).not.toContain(secret);
    }
    const gone = await cli(['runs', 'list', ...p.at(url)]);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toContain('is `ghl-bridge start` running?');
  });
});
