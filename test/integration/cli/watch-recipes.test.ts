import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type TestSandbox } from '../../support/sandbox.js';
import { admin, eventually, killLeftovers, startCli, type LongRunning } from './harness.js';
import { createProject, type Project } from './project.js';

/**
 * `ghl-bridge start --watch-recipes` as a child process: an edited recipe file is saved as the
 * next version, a broken one keeps the running version and says why in a warn line, a new file is
 * loaded, a schedule asks for a restart; a restart without watching never rolls back a newer
 * version saved meanwhile.
 */
interface Shown {
  version: number;
  text: string;
}

let sb: TestSandbox;
let p: Project;
let server: LongRunning;
let url: string;
let recipes: string;
const shown = (id: string) => admin<Shown>(url, p.token, `/recipes/${id}`);
const versionIs = (id: string, version: number) => eventually(async () => ((await shown(id).catch(() => null))?.version === version ? true : undefined), `${id} v${version}`, 20_000);

beforeAll(async () => {
  sb = await startSandbox();
  p = await createProject({ sandboxUrl: sb.url, prefix: 'ghlb-cli-watch-' });
  recipes = join(p.dir, 'recipes');
  server = await startCli(['start', '--watch-recipes', '--log-level', 'info', ...p.cfg], { cwd: p.dir, timeoutMs: 150_000 });
  url = server.line.replace(/^ready /, '');
}, 240_000);

afterAll(async () => {
  killLeftovers();
  await sb?.close();
  if (p) rmSync(p.dir, { recursive: true, force: true });
}, 60_000);

describe('ghl-bridge start --watch-recipes', { timeout: 240_000 }, () => {
  it('an edited file becomes the next version (logged with from → to); the API shows its text', async () => {
    // stderr and stdout are separate pipes: the summary may arrive just after `ready`
    await eventually(async () => (server.stderr().includes(`; watching ${recipes}`) ? true : undefined), 'the watching summary on stderr', 5_000);
    const file = join(recipes, 'cli-signup.yaml');
    const original = readFileSync(file, 'utf8');
    // an editor's several writes: one new version
    const edited = original.replace('source: { value: CLI test }', 'source: { value: CLI test edited }');
    writeFileSync(file, edited.slice(0, 40));
    writeFileSync(file, edited);
    await server.waitForStderr(/recipe reloaded: cli-signup v1 → v2/);
    await versionIs('cli-signup', 2);
    expect((await shown('cli-signup')).text).toBe(edited.replace('version: 1', 'version: 2'));
    const line = server.stderr().split('\n').find((l) => l.includes('recipe reloaded: cli-signup'))!;
    expect(JSON.parse(line)).toMatchObject({ level: 30, recipe: 'cli-signup', from: 1, to: 2, file });
    expect(server.stderr().match(/recipe reloaded: cli-signup/g)).toHaveLength(1);
  });

  it('a broken file keeps the running version and says why (the file and each problem)', async () => {
    const file = join(recipes, 'cli-signup.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('transforms: [email]', 'transforms: [emial]'));
    const line = await server.waitForStderr(/.*recipe file not reloaded, the running version stays.*/);
    expect(JSON.parse(line)).toMatchObject({ level: 40, file, problems: [`${file}: mapping.contact.email.transforms[0]: unknown transform "emial" (did you mean "email"?)`] });
    expect((await shown('cli-signup')).version).toBe(2);
  });

  it('a new file is loaded as it says; a schedule file asks for a restart', async () => {
    writeFileSync(join(recipes, 'cli-new.yaml'), readFileSync(join(recipes, 'cli-vip.yaml'), 'utf8').replace('id: cli-vip', 'id: cli-new').replace('version: 1', 'version: 3'));
    await server.waitForStderr(/recipe reloaded: cli-new v- → v3/);
    await versionIs('cli-new', 3);
    writeFileSync(join(recipes, 'nightly.schedule.yaml'), 'id: nightly\n');
    await server.waitForStderr(/schedule file changed: restart `ghl-bridge start` to apply it/);
  });

  it('stops on Ctrl-C with exit 0; a restart without watching keeps the newer stored version and says so', async () => {
    expect(await server.stop('SIGINT')).toBe(0);
    const file = join(recipes, 'cli-signup.yaml');
    // back to the file's first content (version 1): v2, saved by the watcher, must stay
    writeFileSync(file, readFileSync(file, 'utf8').replace('transforms: [emial]', 'transforms: [email]').replace('source: { value: CLI test edited }', 'source: { value: CLI test }'));
    rmSync(join(recipes, 'nightly.schedule.yaml'));
    server = await startCli(['start', ...p.cfg], { cwd: p.dir, timeoutMs: 150_000 });
    url = server.line.replace(/^ready /, '');
    expect(server.stderr()).toContain(`recipe not loaded: ${file}: version 1 differs from the stored cli-signup v2, which stays in use`);
    expect((await shown('cli-signup')).version).toBe(2);
    expect((await shown('cli-new')).version).toBe(3);
    expect(await server.stop('SIGINT')).toBe(0);
  });
});
