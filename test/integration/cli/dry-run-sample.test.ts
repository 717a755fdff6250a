import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startServerHarness, type ServerHarness } from '../server/harness.js';
import { cliJson, runCli } from './harness.js';

/**
 * The catalog's samples from the command line, against a real server: `ops show --sample` writes a
 * payload `recipes dry-run --payload` takes, and `recipes dry-run --sample` finds the sample itself.
 */
const dir = mkdtempSync(join(tmpdir(), 'ghlb-cli-sample-'));
let h: ServerHarness;
let target: string[];

interface DryRunJson {
  recipeId: string;
  evaluation: { matched: boolean; recordId: string | null; errors: unknown[] };
  plan: { calls: Array<{ method: string; path: string }> } | null;
}

beforeAll(async () => {
  h = await startServerHarness({ recipes: ['recruitee-candidates', 'app-signup'] });
  const res = await h.call('POST', '/api/v1/connections', { body: { id: 'ghl-main', app: 'ghl-location', name: 'GHL', config: { locationId: h.sb.info.locationId, auth: 'pit' }, secrets: { pit: h.sb.info.pit } } });
  if (res.status !== 201) throw new Error(`connection ghl-main: ${res.status} ${res.text}`);
  target = ['--url', h.url, '--token', ADMIN_TOKEN];
}, 60_000);

afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ghl-bridge ops show', () => {
  it('prints the entry (endpoint, events, payload fields, sample); --json the whole entry; an unknown id exits 2 with the closest id', async () => {
    const shown = await runCli(['ops', 'show', 'recruitee.candidate.created'], { cwd: dir });
    expect([shown.code, shown.stderr]).toEqual([0, '']);
    expect(shown.stdout).toContain('endpoint:   POST /hooks/{connectionId}');
    expect(shown.stdout).toContain('events:     candidate.created');
    expect(shown.stdout).toMatch(/\n {2}candidate\* +object\n/);
    expect(shown.stdout).toContain('"email": "jane.doe@example.com"');
    const action = await runCli(['ops', 'show', 'ghl.tasks.create'], { cwd: dir });
    expect(action.stdout).toContain('idempotent: no');
    expect(action.stdout).toMatch(/input \(\* required\):\n {2}contactId\* +string\n {2}body\* +object/);
    const json = await cliJson<{ id: string; sample: { type: string }; samples: unknown[]; payload: object }>(['ops', 'show', 'recruitee.candidate.disqualified'], { cwd: dir });
    expect(json).toMatchObject({ id: 'recruitee.candidate.disqualified', sample: { type: 'candidate.disqualified' }, payload: { type: 'object' } });
    expect(json.samples).toHaveLength(2);
    const typo = await runCli(['ops', 'show', 'recruitee.candidate.webhook'], { cwd: dir });
    expect([typo.code, typo.stdout]).toEqual([2, '']);
    expect(typo.stderr).toContain('no operation "recruitee.candidate.webhook"');
    const near = await runCli(['ops', 'show', 'recruitee.candidate.create'], { cwd: dir });
    expect([near.code, near.stderr.trim()]).toEqual([2, 'ghl-bridge: no operation "recruitee.candidate.create" (did you mean "recruitee.candidate.created"?)']);
  }, 60_000);

  it('--sample > event.json is a payload recipes dry-run --payload plans', async () => {
    const sample = await runCli(['ops', 'show', 'recruitee.candidate.created', '--sample'], { cwd: dir });
    expect(sample.code).toBe(0);
    const payload = JSON.parse(sample.stdout) as { candidate: { email: string } };
    expect(payload.candidate.email).toBe('jane.doe@example.com');
    writeFileSync(join(dir, 'event.json'), sample.stdout);
    const r = await cliJson<DryRunJson>(['recipes', 'dry-run', 'recruitee-candidates', '--payload', 'event.json', '--type', 'candidate.created', ...target], { cwd: dir });
    expect(r.evaluation).toMatchObject({ matched: true, recordId: '5000001', errors: [] });
    expect(r.plan!.calls.map((c) => `${c.method} ${c.path}`)).toContain('POST /contacts/upsert');
  }, 60_000);
});

describe('ghl-bridge recipes dry-run --sample', () => {
  it("plans the sample of the recipe's first event and says which it used; --type picks another", async () => {
    const ghlRequests = h.sb.sandbox.core.log.total;
    const r = await runCli(['recipes', 'dry-run', 'recruitee-candidates', '--sample', ...target], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe('using the sample candidate.created of recruitee.candidate.created (the first of its events with a sample; --type picks another: candidate.created, candidate.updated, candidate.stage_changed, candidate.disqualified, candidate.requalified)');
    expect(r.stdout).toContain('record 5000001');
    expect(r.stdout).toContain('POST /contacts/upsert');
    const moved = await runCli(['recipes', 'dry-run', 'recruitee-candidates', '--sample', '--type', 'candidate.requalified', '--json', ...target], { cwd: dir });
    expect(moved.stderr.trim()).toBe('using the sample candidate.requalified of recruitee.candidate.disqualified');
    expect((JSON.parse(moved.stdout) as DryRunJson).evaluation).toMatchObject({ matched: true, errors: [] });
    // a "your app" source: the Standard Webhooks trigger's sample
    const app = await runCli(['recipes', 'dry-run', 'app-signup', '--sample', '--json', ...target], { cwd: dir });
    expect(app.stderr.trim()).toBe('using the sample user.created of webhook.standard-webhooks');
    const plan = JSON.parse(app.stdout) as DryRunJson;
    expect(plan.evaluation).toMatchObject({ matched: true, recordId: 'usr_ada', errors: [] });
    expect(plan.plan!.calls.length).toBeGreaterThan(1);
    // a dry run writes nothing
    expect(h.sb.sandbox.core.log.total).toBe(ghlRequests);
  }, 60_000);

  it('an event the recipe does not handle, a recipe typo, --sample with --payload: exit 2, saying why', async () => {
    const wrong = await runCli(['recipes', 'dry-run', 'recruitee-candidates', '--sample', '--type', 'note.changed', ...target], { cwd: dir });
    expect([wrong.code, wrong.stderr.trim()]).toEqual([2, 'ghl-bridge: --type note.changed: recipe recruitee-candidates does not handle it; it handles candidate.created, candidate.updated, candidate.stage_changed, candidate.disqualified, candidate.requalified']);
    const typo = await runCli(['recipes', 'dry-run', 'recruitee-candidate', '--sample', ...target], { cwd: dir });
    expect([typo.code, typo.stderr.trim()]).toEqual([1, 'ghl-bridge: no recipe recruitee-candidate (did you mean recruitee-candidates?)']);
    const both = await runCli(['recipes', 'dry-run', 'recruitee-candidates', '--sample', '--payload', 'event.json', ...target], { cwd: dir });
    expect([both.code, both.stderr.trim()]).toEqual([2, 'ghl-bridge: --sample and --payload: use one of them']);
  }, 60_000);
});
