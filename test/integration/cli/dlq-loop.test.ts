import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../src/server/queries/runs.js';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { admin, cliJson, eventually, killLeftovers, runCli, sendSignedWebhook, startCli, type LongRunning } from './harness.js';
import { createProject, SIGNING_SECRET, type Project } from './project.js';

/**
 * The dead-letter loop through the real CLI and server: a recipe whose mapping fails
 * dead-letters 23 runs; three are dismissed; a fixed version is saved; `dlq replay --all --recipe`
 * applies the other 20 with the new version (20 contacts in the sandbox, none twice) and the
 * dismissed ones never run.
 */
const RECIPE = 'dlq-notes';
const DEAD = 23;
const v1 = `id: ${RECIPE}
version: 1
name: Sign-ups with their bio as a note
trigger: { source: app, events: [user.signup] }
connection: ghl-main
recordId: data.id
mapping:
  contact:
    email: { path: data.email, transforms: [email] }
actions:
  - type: upsertContact
  - type: note
    sourceId: { template: "bio-{{data.id}}" }
    body: { path: data.bio }
`;
/** the fix: the app sends `about`, not `bio` */
const v2 = v1.replace('version: 1', 'version: 2').replace('path: data.bio', 'path: data.about');
/** `body:` of the note, where the path without a value is */
const BODY_LINE = v1.split('\n').findIndex((l) => l.includes('body: { path: data.bio }')) + 1;

interface Contact {
  id: string;
  email?: string | null;
}
type DeadLetter = RunSummary & { explanation: { cause: string; fix: string; command?: string } };
interface Shown {
  run: RunSummary & { dismissedReason: string | null };
  explanation: DeadLetter['explanation'] | null;
  history: Array<{ action: string; detail: Record<string, unknown>; actor: string | null }>;
}

let sb: TestSandbox;
let p: Project;
let server: LongRunning;
let url: string;
let recipeFile: string;

const cli = (args: string[]) => runCli([...args, ...p.at(url)], { cwd: p.dir });
const json = <T>(args: string[]) => cliJson<T>([...args, ...p.at(url)], { cwd: p.dir });
const post = async (path: string, body: unknown) => {
  const res = await fetch(`${url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return res.json() as Promise<unknown>;
};
const runsOf = async () => (await admin<{ items: RunSummary[] }>(url, p.token, `/runs?recipe=${RECIPE}&limit=500`)).items;
const ours = async () => ((await sb.api<{ contacts: Contact[] }>('GET', `/_sandbox/locations/${sb.info.locationId}/contacts`)).body).contacts.filter((c) => c.email?.endsWith('@dlq.cli.test'));

beforeAll(async () => {
  sb = await startSandbox();
  p = await createProject({ sandboxUrl: sb.url, prefix: 'ghlb-cli-dlq-' });
  recipeFile = join(p.dir, 'recipes', `${RECIPE}.yaml`);
  writeFileSync(recipeFile, v1);
  server = await startCli(['start', ...p.cfg], { cwd: p.dir });
  url = server.line.replace(/^ready /, '');
  await post('/connections', { id: 'ghl-main', app: 'ghl-location', name: 'Sandbox', config: { locationId: sb.info.locationId, auth: 'pit' }, secrets: { pit: sb.info.pit } });
  await post('/connections', { id: 'my-app', app: 'webhook', name: 'Our app', config: { source: 'app' }, secrets: { signingSecret: SIGNING_SECRET } });
}, 120_000);

afterAll(async () => {
  await server?.stop('SIGINT');
  killLeftovers();
  await sb?.close();
  if (p) rmSync(p.dir, { recursive: true, force: true });
}, 60_000);

describe('dlq: fix the recipe, replay, dismiss', { timeout: 180_000 }, () => {
  let dead: DeadLetter[];

  it(`a mapping that fails dead-letters ${DEAD} runs, each explained with the recipe line`, async () => {
    for (let i = 1; i <= DEAD; i++) {
      expect(await sendSignedWebhook(url, 'my-app', SIGNING_SECRET, `msg_dlq_${i}`, { type: 'user.signup', data: { id: `d${i}`, email: `user${i}@dlq.cli.test`, about: `About ${i}` } })).toBe(200);
    }
    await eventually(async () => ((await runsOf()).filter((r) => r.status === 'dead').length === DEAD ? true : undefined), `${DEAD} dead letters`);
    dead = await json<DeadLetter[]>(['dlq', 'list', '--recipe', RECIPE, '--error-code', 'mapping', '--since', new Date(Date.now() - 3_600_000).toISOString()]);
    expect(dead).toHaveLength(DEAD);
    for (const d of dead) {
      expect(d.explanation).toEqual({
        cause: `actions[1].body had no value: the event has nothing at "data.bio" (${recipeFile} line ${BODY_LINE})`,
        fix: expect.stringContaining('save the recipe as version 2'),
        command: `ghl-bridge dlq replay --recipe ${RECIPE}`,
      });
    }
    expect(await json<DeadLetter[]>(['dlq', 'list', '--since', new Date(Date.now() + 3_600_000).toISOString()])).toEqual([]);
    const shown = await cli(['dlq', 'show', String(dead[0]!.id)]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`cause:   actions[1].body had no value: the event has nothing at "data.bio" (${recipeFile} line ${BODY_LINE})`);
    expect(shown.stdout).toContain(`command: ghl-bridge dlq replay --recipe ${RECIPE}`);
    expect(shown.stdout).toMatch(/history:\n.*dead-lettered by worker \S+ {2}\{"code":"MAPPING"/);
  });

  it('three are dismissed with a reason; a replay without a selection or a dismissal without a reason is refused', async () => {
    for (const d of dead.slice(0, 3)) expect(await json<{ dismissed: number[] }>(['dlq', 'dismiss', String(d.id), '--reason', 'test sign-up, ignore'])).toEqual({ dismissed: [d.id] });
    const shown = await json<Shown>(['dlq', 'show', String(dead[0]!.id)]);
    expect(shown.run).toMatchObject({ status: 'dismissed', dismissedReason: 'test sign-up, ignore' });
    expect(shown.history.at(-1)).toEqual({ at: expect.any(String), action: 'dismissed', detail: { reason: 'test sign-up, ignore' }, actor: 'admin-api' });
    expect((await cli(['dlq', 'replay'])).code).toBe(2);
    expect((await cli(['dlq', 'dismiss', String(dead[3]!.id)])).code).toBe(2);
    expect((await cli(['dlq', 'replay', String(dead[3]!.id), '--all'])).code).toBe(2);
  });

  it('after the fixed version is saved, `dlq replay --all --recipe` applies the other 20 with it, once each; the dismissed never run', async () => {
    writeFileSync(recipeFile, v2);
    expect(await post('/recipes', { text: v2 })).toEqual({ id: RECIPE, version: 2 });
    const replay = await cli(['dlq', 'replay', '--all', '--recipe', RECIPE]);
    expect([replay.code, replay.stderr]).toEqual([0, '']);
    expect(replay.stdout).toContain(`replayed ${DEAD - 3} runs:`);
    expect(replay.stdout).toContain(`versions: ${DEAD - 3} runs v1 → v2`);
    const runs = await eventually(async () => {
      const all = await runsOf();
      return all.filter((r) => r.status === 'succeeded').length === DEAD - 3 ? all : undefined;
    }, `${DEAD - 3} succeeded runs`);
    const dismissedIds = dead.slice(0, 3).map((d) => d.id).sort();
    expect(runs.filter((r) => r.status === 'dismissed').map((r) => r.id).sort()).toEqual(dismissedIds);
    expect(runs.filter((r) => r.status === 'succeeded').every((r) => r.recipeVersion === 2)).toBe(true);
    const contacts = await ours();
    expect(contacts).toHaveLength(DEAD - 3);
    expect(new Set(contacts.map((c) => c.email)).size).toBe(DEAD - 3);
    const dismissedEmails = dead.slice(0, 3).map((d) => `user${d.recordKey!.replace('app:d', '')}@dlq.cli.test`);
    for (const email of dismissedEmails) expect(contacts.some((c) => c.email === email), email).toBe(false);
    const history = await json<Shown>(['dlq', 'show', String(dead[5]!.id)]);
    expect(history.run).toMatchObject({ status: 'succeeded', recipeVersion: 2 });
    expect(history.explanation).toBeNull();
    expect(history.history.map((h) => [h.action, h.detail, h.actor])).toEqual([
      ['dead-lettered', { code: 'MAPPING', step: null, reason: 'actions[1].body: required: no value at "data.bio"' }, expect.stringMatching(/^worker /)],
      ['replayed', { fromVersion: 1, toVersion: 2 }, 'admin-api'],
    ]);
    // nothing left to replay: the dismissed stay dismissed, and no contact is written twice
    expect((await cli(['dlq', 'replay', '--all'])).stdout.trim()).toBe('no dead letters to replay');
    await new Promise((r) => setTimeout(r, 1500));
    expect((await runsOf()).filter((r) => r.status === 'dismissed')).toHaveLength(3);
    expect(await ours()).toHaveLength(DEAD - 3);
  });
});
