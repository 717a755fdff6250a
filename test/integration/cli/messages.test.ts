import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErpFake, type ErpFake } from '../../../src/connectors/erp/index.js';
import { ADMIN_TOKEN, startServerHarness, type ServerHarness } from '../server/harness.js';
import { eventually, runCli } from './harness.js';

/**
 * Issue 13, messages that point the right way: each found in a new-user trial, each asserted
 * here by its exact text and exit code, with the real CLI against a real server (sandbox GHL,
 * PGlite, a worker, the ERP fake).
 */
const ERP_KEY = 'erp-cli-messages-key-0123456789';
const SIGNING_SECRET = 'whsec_c2VydmVyLXRlc3Qtc2lnbmluZy1zZWNyZXQtMDE=';
const REFUSED_PIT = 'pit-refused-by-the-sandbox-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'ghlb-cli-messages-'));
let h: ServerHarness;
let erp: ErpFake;
let target: string[];
let sequence = 0;

interface Run {
  id: number;
  status: string;
  skipReason: { code: string; message: string } | null;
  error: unknown;
}

beforeAll(async () => {
  erp = await createErpFake({ apiKey: ERP_KEY });
  h = await startServerHarness({ recipes: ['app-signup', 'erp-customers'] });
  await h.bridge.engine.startWorker({ concurrency: 1, pollingIntervalSeconds: 0.5 });
  for (const body of [
    { id: 'ghl-main', app: 'ghl-location', name: 'GHL', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } },
    { id: 'ghl-refused', app: 'ghl-location', name: 'Refused token', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: REFUSED_PIT } },
    { id: 'ghl-oauth', app: 'ghl-location', name: 'By OAuth', config: { locationId: h.sb.info.locationId, auth: 'oauth' } },
    { id: 'erp-main', app: 'erp', name: 'ERP', config: { baseUrl: erp.url }, secrets: { apiKey: ERP_KEY } },
    { id: 'my-app', app: 'webhook', name: 'My app', config: { source: 'my-app' }, secrets: { signingSecret: SIGNING_SECRET } },
  ]) {
    const res = await h.call('POST', '/api/v1/connections', { body });
    if (res.status !== 201) throw new Error(`connection ${body.id}: ${res.status} ${res.text}`);
  }
  target = ['--url', h.url, '--token', ADMIN_TOKEN];
}, 60_000);

afterAll(async () => {
  await h?.close();
  await erp?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One sign-up event of `my-app`, stored as the webhook ingress stores it; answers its runs. */
async function signUp(data: Record<string, unknown>): Promise<number[]> {
  const r = await h.bridge.engine.ingest({ source: 'my-app', externalId: `msg-${++sequence}`, type: 'user.created', payload: { type: 'user.created', data: { createdAt: '2026-12-01T10:00:00Z', ...data } } });
  return r.runIds;
}

async function finished(runId: number): Promise<Run> {
  return eventually(async () => {
    const run = (await h.call('GET', `/api/v1/runs/${runId}`)).json as unknown as Run;
    return run.status === 'queued' || run.status === 'running' ? undefined : run;
  }, `run ${runId} to end`);
}

const skippedLine = (stdout: string) => stdout.split('\n').find((l) => l.startsWith('skipped: '));

describe('a skipped run records why', { timeout: 90_000 }, () => {
  it('filter false: which condition, on the run (API and list) and in `runs show`', async () => {
    const [runId] = await signUp({ id: 'u-nomail', name: 'No Mail' });
    const run = await finished(runId!);
    const why = { code: 'filter', message: 'filter: any of (data.email exists; data.phone exists) is false' };
    expect(run).toMatchObject({ status: 'skipped', skipReason: why, error: null });
    const listed = (await h.call('GET', '/api/v1/runs?status=skipped')).json as { items: Run[] };
    expect(listed.items.find((r) => r.id === runId)?.skipReason).toEqual(why);
    const shown = await runCli(['runs', 'show', String(runId), ...target], { cwd: dir });
    expect([shown.code, shown.stderr]).toEqual([0, '']);
    expect(skippedLine(shown.stdout)).toBe('skipped: filter: any of (data.email exists; data.phone exists) is false');
  });

  it('unchanged since the last sync: the same sign-up again succeeds with no call and says so', async () => {
    const data = { id: 'u-same', name: 'Ada Same', email: 'ada.same@messages.test', plan: 'free' };
    const first = await finished((await signUp(data))[0]!);
    expect(first).toMatchObject({ status: 'succeeded', skipReason: null });
    const again = await finished((await signUp(data))[0]!);
    const message = 'unchanged since the last sync (upsertContact: contact fields unchanged since the last write; tags: tags unchanged; task:app-welcome-u-same: task unchanged; note:app-plan-u-same-free: note unchanged): no GHL call was needed';
    expect(again).toMatchObject({ status: 'succeeded', skipReason: { code: 'unchanged', message }, error: null });
    const shown = await runCli(['runs', 'show', String(again.id), ...target], { cwd: dir });
    expect(shown.code).toBe(0);
    expect(skippedLine(shown.stdout)).toBe(`skipped: ${message}`);
  });

  it('recipe disabled: a run queued before the recipe was disabled ends skipped, saying so', async () => {
    expect((await h.call('POST', '/api/v1/recipes/app-signup/pause', { body: { reason: 'test' } })).status).toBe(200);
    const [runId] = await signUp({ id: 'u-disabled', name: 'Dis Abled', email: 'dis@messages.test' });
    expect((await h.call('POST', '/api/v1/recipes/app-signup/disable')).status).toBe(200);
    expect((await h.call('POST', '/api/v1/recipes/app-signup/resume')).status).toBe(200);
    try {
      const run = await finished(runId!);
      expect(run).toMatchObject({ status: 'skipped', skipReason: { code: 'recipe-disabled', message: 'recipe app-signup is disabled (`ghl-bridge recipes enable app-signup` to run its new events)' } });
      const shown = await runCli(['runs', 'show', String(runId), ...target], { cwd: dir });
      expect(skippedLine(shown.stdout)).toBe('skipped: recipe app-signup is disabled (`ghl-bridge recipes enable app-signup` to run its new events)');
    } finally {
      expect((await h.call('POST', '/api/v1/recipes/app-signup/enable')).status).toBe(200);
    }
  });
});

describe('recipes dry-run says why an event does nothing', { timeout: 60_000 }, () => {
  const payload = (name: string, body: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(body));
    return file;
  };

  it('an event type the recipe does not handle: named with the ones it handles, exit 1; the API says the same', async () => {
    const file = payload('other-type.json', { data: { id: 'u1', email: 'a@x.io' } });
    const r = await runCli(['recipes', 'dry-run', 'app-signup', '--payload', file, '--type', 'user.deleted', ...target], { cwd: dir });
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe('ghl-bridge: recipe app-signup does not handle event type user.deleted; it handles: user.created\n');
    const api = await h.call('POST', '/api/v1/recipes/app-signup/dry-run', { body: { type: 'user.deleted', payload: { data: { id: 'u1' } } } });
    expect(api.json.skipReason).toEqual({ code: 'event-type', message: 'recipe app-signup does not handle event type user.deleted; it handles: user.created' });
  });

  it('a filter that is false: which condition (exit 0, nothing to plan)', async () => {
    const file = payload('no-mail.json', { type: 'user.created', data: { id: 'u2', name: 'No Mail' } });
    const r = await runCli(['recipes', 'dry-run', 'app-signup', '--payload', file, ...target], { cwd: dir });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(`recipe app-signup@1 on location ${h.sb.info.locationId}: skipped: filter: any of (data.email exists; data.phone exists) is false\n`);
  });
});

describe('sync --full with a connection that is not the recipe\'s source', { timeout: 60_000 }, () => {
  it('refused, exit 2, naming the connections that can feed it; the API answers 400 naming `connection`', async () => {
    const r = await runCli(['sync', '--full', 'erp-customers', '--connection', 'my-app', ...target], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ghl-bridge: POST /syncs: connection my-app (app webhook, source my-app) cannot feed recipe erp-customers: its trigger source is erp; use an erp connection (erp-main)\n');
    const other = await runCli(['sync', '--full', 'app-signup', '--connection', 'erp-main', ...target], { cwd: dir });
    expect([other.code, other.stderr]).toEqual([2, 'ghl-bridge: POST /syncs: connection erp-main (app erp) cannot feed recipe app-signup: its trigger source is my-app; use a my-app connection (my-app)\n']);
    const api = await h.call('POST', '/api/v1/syncs', { body: { connection: 'my-app', recipe: 'erp-customers' } });
    expect(api.status).toBe(400);
    expect(api.json).toMatchObject({ error: { field: 'connection', message: expect.stringContaining('cannot feed recipe erp-customers: its trigger source is erp') } });
    // the right source, but an app that cannot list its records: still the connector's 409
    const cannot = await h.call('POST', '/api/v1/syncs', { body: { connection: 'my-app', recipe: 'app-signup' } });
    expect([cannot.status, cannot.json]).toEqual([409, { error: expect.objectContaining({ field: 'connection', message: 'webhook connections cannot list all their records' }) }]);
    expect(Number((await h.bridge.db.query<{ n: string }>('select count(*) as n from syncs')).rows[0]!.n)).toBe(0);
  });
});

describe('connections add --app ghl-location validates like every connector', { timeout: 60_000 }, () => {
  const add = (config: unknown, ...secrets: string[]) =>
    runCli(['connections', 'add', '--app', 'ghl-location', '--name', 'Dental', '--id', 'ghl-new', '--config', JSON.stringify(config), ...secrets.flatMap((s) => ['--secret', s]), ...target], { cwd: dir });

  it('locationId a string, auth a known kind (did you mean), the PIT present, unknown keys refused: each names its field', async () => {
    const cases: Array<[Awaited<ReturnType<typeof add>>, number, string]> = [
      [await add({ locationId: 12345, auth: 'pit' }, 'pit=pit-x'), 1, 'config.locationId: expected a string, got number (quote it in the JSON)'],
      [await add({ locationId: 'L1', auth: 'pat' }, 'pit=pit-x'), 1, 'config.auth: unknown auth kind "pat" (did you mean "pit"?); use pit (a Private Integration Token, --secret pit=…) or oauth (then `ghl-bridge connect ghl --connection ghl-new`)'],
      [await add({ locationId: 'L1', auth: 'pit' }), 1, 'secrets.pit: required with auth pit: the Private Integration Token of the location (Settings → Private Integrations in HighLevel, scopes contacts.readonly contacts.write), given as --secret pit=…'],
      [await add({ locationId: 'L1', auth: 'oauth' }, 'pit=pit-secret-value'), 1, 'secrets.pit: not used with auth oauth (its tokens come from `ghl-bridge connect ghl`); use auth pit to write with a Private Integration Token'],
      [await add({ locationId: 'L1', auth: 'pit' }, 'pitt=pit-secret-value'), 2, 'secrets.pitt: not a secret of a ghl-location connection (did you mean "pit"?); it takes pit, clientSecret'],
    ];
    for (const [r, code, message] of cases) {
      expect([r.code, r.stderr]).toEqual([code, `ghl-bridge: POST /connections: ${message}\n`]);
      expect(r.stderr).not.toContain('pit-secret-value');
    }
    expect((await h.call('GET', '/api/v1/connections/ghl-new')).status).toBe(404);
  });
});

describe('connections test: advice that fits the auth kind, with the real id', { timeout: 60_000 }, () => {
  it('a refused PIT: create a new token in the location\'s settings, then the re-add command for this connection', async () => {
    const r = await runCli(['connections', 'test', 'ghl-refused', ...target], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `failed: GHL: HighLevel refused the Private Integration Token (401): create a new Private Integration Token in the location's settings (Settings → Private Integrations) with scopes contacts.readonly contacts.write, then \`ghl-bridge connections remove ghl-refused && ghl-bridge connections add --app ghl-location --id ghl-refused --name 'Refused token' --config '{"locationId":"${h.sb.info.locationId}","auth":"pit"}' --secret pit=…\`\n`,
    );
    expect(r.stdout + r.stderr).not.toContain(REFUSED_PIT);
    expect(r.stdout).not.toContain('<id>');
  });

  it('OAuth without tokens yet: `connect ghl --connection` with its id (exit 1)', async () => {
    const r = await runCli(['connections', 'test', 'ghl-oauth', '--json', ...target], { cwd: dir });
    expect(r.code).toBe(1);
    const answer = JSON.parse(r.stdout) as { ok: boolean; message: string; details?: { auth?: string; command?: string } };
    expect(answer.ok).toBe(false);
    expect(answer.details).toMatchObject({ auth: 'oauth', command: 'ghl-bridge connect ghl --connection ghl-oauth' });
    expect(answer.message).toBe('GHL: the OAuth authorization cannot be used (connection "connection:ghl-oauth" has no stored tokens; authorize it again): re-authorize it: `ghl-bridge connect ghl --connection ghl-oauth` prints a link; open it and choose the location again');
    expect(answer.message).not.toContain('<id>');
  });
});
