import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startServerHarness, type ServerHarness } from '../server/harness.js';
import { cliJson, runCli } from './harness.js';

/**
 * `ghl-bridge recipes save|show|history|export`, `dry-run --event` and a misspelt recipe id
 * wherever one is taken, as child processes against a real server (sandbox, PGlite).
 */
const dir = mkdtempSync(join(tmpdir(), 'ghlb-cli-versions-'));
let h: ServerHarness;
let target: string[];
const cli = (...args: string[]) => runCli([...args, ...target], { cwd: dir });
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const TEXT = `# our app's sign-ups (a comment show keeps)
id: cli-author
version: 1
trigger: { source: app, events: [user.created] }
connection: ghl-main
recordId: data.id
mapping:
  contact:
    email: data.email
actions:
  - type: upsertContact
`;

beforeAll(async () => {
  h = await startServerHarness({ recipes: ['app-signup', 'erp-customers'] });
  for (const body of [
    { id: 'ghl-main', app: 'ghl-location', name: 'GHL', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } },
    // never called: `sync --full` checks the recipe before it lists anything
    { id: 'erp-main', app: 'erp', name: 'ERP', config: { baseUrl: 'http://127.0.0.1:9' }, secrets: { apiKey: 'erp-cli-versions-key-0123456789' } },
  ]) {
    const res = await h.call('POST', '/api/v1/connections', { body });
    if (res.status !== 201) throw new Error(`connection ${body.id}: ${res.status} ${res.text}`);
  }
  target = ['--url', h.url, '--token', ADMIN_TOKEN];
}, 60_000);

afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ghl-bridge recipes save', () => {
  it('a new recipe, the same file again, an edit (saved as the next version, with its diff)', async () => {
    const path = file('cli-author.yaml', TEXT);
    const first = await cli('recipes', 'save', path);
    expect([first.code, first.stderr, first.stdout]).toEqual([0, '', 'saved cli-author v1 (a new recipe)\n']);
    const again = await cli('recipes', 'save', path);
    expect([again.code, again.stdout]).toEqual([0, `unchanged: cli-author v1 kept (${path} holds the same recipe)\n`]);

    writeFileSync(path, TEXT.replace('    email: data.email', '    email: data.email\n    phone: data.phone'));
    const edit = await cli('recipes', 'save', path);
    expect(edit.code).toBe(0);
    expect(edit.stdout).toBe(
      [
        'saved cli-author v2 (was v1)',
        `  (the file says version 1, not newer than v1: saved as the next version; \`ghl-bridge recipes export cli-author --out <dir>\` writes it back with its version)`,
        '@@ -1,5 +1,5 @@',
        " # our app's sign-ups (a comment show keeps)",
        ' id: cli-author',
        '-version: 1',
        '+version: 2',
        ' trigger: { source: app, events: [user.created] }',
        ' connection: ghl-main',
        '@@ -8,4 +8,5 @@',
        '   contact:',
        '     email: data.email',
        '+    phone: data.phone',
        ' actions:',
        '   - type: upsertContact',
        '',
      ].join('\n'),
    );
    // saved as v2 but the file says 1: saving it again is no change
    expect((await cli('recipes', 'save', path)).stdout).toContain('unchanged: cli-author v2 kept');
    const json = JSON.parse((await cli('recipes', 'save', path, '--json')).stdout) as Record<string, unknown>;
    expect(json).toEqual({ outcome: 'unchanged', id: 'cli-author', version: 2, requested: 1 });
  }, 60_000);

  it('an invalid file: its problems with their paths, exit 1, nothing saved; a schedule or a missing file: exit 2', async () => {
    const bad = file('bad.yaml', TEXT.replace('id: cli-author', 'id: cli-bad').replace('email: data.email', 'emial: data.email'));
    const r = await cli('recipes', 'save', bad);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^invalid: .*bad\.yaml has 1 problem \(nothing saved\):\n {2}mapping\.contact\.emial: .*did you mean "email"/);
    expect((await h.call('GET', '/api/v1/recipes/cli-bad')).status).toBe(404);
    const schedule = await cli('recipes', 'save', file('x.schedule.yaml', 'id: s\n'));
    expect([schedule.code, schedule.stderr]).toEqual([2, expect.stringContaining('is a schedule: schedules are read from recipes.dir when `ghl-bridge start` starts')]);
    const missing = await cli('recipes', 'save', join(dir, 'nope.yaml'));
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('nope.yaml: no such file')]);
  }, 60_000);
});

describe('ghl-bridge recipes show, history, export', () => {
  it('show prints the text as saved (comments included), a version on request; history lists the versions', async () => {
    const show = await cli('recipes', 'show', 'cli-author');
    expect(show.code).toBe(0);
    const [head, ...rest] = show.stdout.split('\n');
    expect(head).toMatch(/^# cli-author v2 \(the newest\), saved \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, enabled$/);
    expect(rest.join('\n')).toBe(TEXT.replace('version: 1', 'version: 2').replace('    email: data.email', '    email: data.email\n    phone: data.phone'));
    const v1 = await cli('recipes', 'show', 'cli-author', '--version', '1');
    expect(v1.stdout.split('\n').slice(1).join('\n')).toBe(TEXT);
    expect(v1.stdout).toMatch(/^# cli-author v1 \(of 2\)/);
    const none = await cli('recipes', 'show', 'cli-author', '--version', '9');
    expect([none.code, none.stderr]).toEqual([1, expect.stringContaining('recipe cli-author has no version 9 (its newest is v2; `ghl-bridge recipes history cli-author` lists them)')]);
    const badFlag = await cli('recipes', 'show', 'cli-author', '--version', 'two');
    expect([badFlag.code, badFlag.stderr]).toEqual([2, expect.stringContaining('--version: expected a version number')]);
    // saved from a file at start without a text before: shown as its definition in YAML
    const shipped = await cliJson<{ text: string; savedFrom: string }>(['recipes', 'show', 'app-signup', ...target], { cwd: dir });
    expect(shipped.savedFrom).toBe('text');
    expect(shipped.text).toContain('# Recipe 4: a user signs up in your app');

    const history = await cli('recipes', 'history', 'cli-author');
    expect(history.code).toBe(0);
    const lines = history.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^VERSION\s+SAVED \(UTC\)\s+STATE\s+CHANGES$/);
    expect(lines[1]).toMatch(/^v2\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+enabled\s+\+2 lines −1$/);
    expect(lines[2]).toMatch(/^v1\s+.*\s+enabled\s+first version \(11 lines\)$/);
    const json = await cliJson<{ items: Array<{ version: number; added: number; removed: number }> }>(['recipes', 'history', 'cli-author', ...target], { cwd: dir });
    expect(json.items.map((v) => [v.version, v.added, v.removed])).toEqual([
      [2, 2, 1],
      [1, 11, 0],
    ]);
  }, 60_000);

  it('export writes <id>.yaml files of the newest versions, or prints them; an id or --all is needed', async () => {
    const out = join(dir, 'exported');
    const one = await cli('recipes', 'export', 'cli-author', '--out', out);
    expect([one.code, one.stdout]).toEqual([0, `wrote ${join(out, 'cli-author.yaml')} (cli-author v2)\n`]);
    expect(readFileSync(join(out, 'cli-author.yaml'), 'utf8')).toContain('version: 2\n');
    const all = await cli('recipes', 'export', '--all', '--out', out);
    expect(all.stdout.trimEnd().split('\n').map((l) => l.replace(/ \(.*\)$/, ''))).toEqual(['app-signup', 'cli-author', 'erp-customers'].map((id) => `wrote ${join(out, `${id}.yaml`)}`));
    const printed = await cli('recipes', 'export', 'cli-author');
    expect(printed.stdout).toBe(readFileSync(join(out, 'cli-author.yaml'), 'utf8'));
    // exported, the file is the stored version: saving it changes nothing
    expect((await cli('recipes', 'save', join(out, 'cli-author.yaml'))).stdout).toContain('unchanged: cli-author v2 kept');
    const neither = await cli('recipes', 'export');
    expect([neither.code, neither.stderr]).toEqual([2, expect.stringContaining('export: give a recipe id, or --all for every recipe')]);
    const both = await cli('recipes', 'export', 'cli-author', '--all');
    expect(both.code).toBe(2);
  }, 60_000);
});

describe('a misspelt recipe id', () => {
  const MESSAGE = 'no recipe cli-autor (did you mean cli-author?)';
  it.each([
    ['show', ['recipes', 'show', 'cli-autor']],
    ['history', ['recipes', 'history', 'cli-autor']],
    ['export', ['recipes', 'export', 'cli-autor']],
    ['enable', ['recipes', 'enable', 'cli-autor']],
    ['disable', ['recipes', 'disable', 'cli-autor']],
    ['pause', ['recipes', 'pause', 'cli-autor']],
    ['resume', ['recipes', 'resume', 'cli-autor']],
    ['dry-run --event', ['recipes', 'dry-run', 'cli-autor', '--event', '1']],
  ])('%s: exit 1, the nearest id named', async (_name, args) => {
    const r = await cli(...args);
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr.trim()).toBe(`ghl-bridge: ${MESSAGE}`);
  }, 60_000);

  it('dry-run --payload without --type: the recipe is named first, never a demand for --type', async () => {
    const payload = file('payload.json', JSON.stringify({ data: { id: 'u1', email: 'u1@cli.test' } }));
    const r = await cli('recipes', 'dry-run', 'cli-autor', '--payload', payload);
    expect([r.code, r.stderr.trim()]).toEqual([1, `ghl-bridge: ${MESSAGE}`]);
    const far = await cli('recipes', 'dry-run', 'zzz', '--payload', payload);
    expect([far.code, far.stderr.trim()]).toEqual([1, 'ghl-bridge: no recipe zzz (the recipes are app-signup, cli-author, erp-customers)']);
    // the recipe's only event is the type
    const ok = await cli('recipes', 'dry-run', 'cli-author', '--payload', payload);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(ok.stdout).toMatch(/^recipe cli-author@2 on location \S+: record u1$/m);
  }, 60_000);

  it('sync --full and the API say the same (field id, or recipe for a sync)', async () => {
    const sync = await cli('sync', '--full', 'erp-customrs', '--connection', 'erp-main');
    expect([sync.code, sync.stderr.trim()]).toEqual([1, 'ghl-bridge: no recipe erp-customrs (did you mean erp-customers?)']);
    const api = await h.call('POST', '/api/v1/recipes/recruitee-candidate/enable');
    expect(api.status).toBe(404);
    expect(api.json).toEqual({ error: { code: 'not-found', message: expect.stringMatching(/^no recipe recruitee-candidate \(/), field: 'id' } });
    expect((await h.call('GET', '/api/v1/recipes/cli-autor/versions')).json).toEqual({ error: { code: 'not-found', message: MESSAGE, field: 'id' } });
  }, 60_000);
});

describe('ghl-bridge recipes dry-run --event', () => {
  it('plans a stored event with its own type, source and payload; an unknown event is 404, a bad id exit 2', async () => {
    const ingested = await h.bridge.engine.ingest({ source: 'app', externalId: 'evt-cli-1', type: 'user.created', payload: { data: { id: 'u-stored', email: 'stored@cli.test' } }, recipeIds: [] });
    const { rows } = await h.bridge.db.query<{ id: string; received_at: Date }>(`select id, received_at from events where external_id = 'evt-cli-1'`);
    expect(ingested).toBeTruthy();
    const id = rows[0]!.id;
    const r = await cli('recipes', 'dry-run', 'cli-author', '--event', id);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`event ${id} (app user.created, received ${rows[0]!.received_at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC)`);
    expect(lines[1]).toMatch(/^recipe cli-author@2 on location \S+: record u-stored$/);
    expect(r.stdout).toContain('POST /contacts/upsert');
    const json = await cliJson<{ event: { id: number; type: string } }>(['recipes', 'dry-run', 'cli-author', '--event', id, ...target], { cwd: dir });
    expect(json.event).toMatchObject({ id: Number(id), type: 'user.created', source: 'app' });
    const unknown = await cli('recipes', 'dry-run', 'cli-author', '--event', '999999');
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining('no event 999999 (`GET /api/v1/events` lists the stored events, newest first)')]);
    const bad = await cli('recipes', 'dry-run', 'cli-author', '--event', 'abc');
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('--event: an event id is a number')]);
    const mixed = await cli('recipes', 'dry-run', 'cli-author', '--event', id, '--type', 'user.created');
    expect([mixed.code, mixed.stderr]).toEqual([2, expect.stringContaining('--type: not with --event')]);
    const api = await h.call('POST', '/api/v1/recipes/cli-author/dry-run', { body: { eventId: 999999 } });
    expect(api.json).toMatchObject({ error: { code: 'not-found', field: 'eventId' } });
    const both = await h.call('POST', '/api/v1/recipes/cli-author/dry-run', { body: { eventId: Number(id), payload: {} } });
    expect([both.status, (both.json.error as { field: string }).field]).toEqual([400, 'payload']);
  }, 60_000);
});
