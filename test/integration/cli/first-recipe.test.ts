import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, eventually, killLeftovers, ROOT, startCli, type CliResult, type LongRunning } from './harness.js';

/**
 * The README's "Write your first recipe", command by command as written there, against a running
 * demo: a new user's path from "I have an app" to a contact in GHL, without reading code. The
 * commands come from the README itself (between `<!-- first-recipe -->` markers), so the section
 * cannot drift from what works; only `npx ghl-bridge` becomes this checkout's CLI and the demo's
 * default addresses become the ports this test's demo got.
 */

const dir = mkdtempSync(join(tmpdir(), 'ghlb-first-recipe-'));
const TSX = import.meta.resolve('tsx');
const CLI = `"${process.execPath}" --import ${TSX} "${join(ROOT, 'src/cli/index.ts')}"`;
let demo: LongRunning;
let url = '';
let sandbox = '';
let locationId = '';

/** The commands of the README section, one per line (comments kept: the shell drops them). */
function readmeCommands(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /<!-- first-recipe -->\n```sh\n([\s\S]*?)```\n<!-- \/first-recipe -->/.exec(readme);
  if (!section) throw new Error('README.md: no "first-recipe" block');
  return section[1]!.split('\n').filter((l) => l.trim() !== '');
}

/** One README line through `sh`, as a user's terminal runs it. */
function shell(line: string): Promise<CliResult> {
  const command = line
    .replaceAll('npx ghl-bridge', CLI)
    .replaceAll('http://127.0.0.1:8790', sandbox)
    .replaceAll('<locationId>', locationId);
  return new Promise((done, fail) => {
    const child = spawn('sh', ['-c', command], { cwd: dir, env: childEnv({ GHL_BRIDGE_URL: url }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  demo = await startCli(['demo', '--data', join(dir, 'data'), '--port', '0', '--sandbox-port', '0', '--events-every', '200', '--max-events', '2'], { cwd: dir, timeoutMs: 90_000 });
  url = demo.line.replace(/^ready /, '');
  sandbox = /GHL sandbox\s+(http:\/\/\S+)/.exec(demo.stdout())![1]!;
  locationId = /\(location (\S+);/.exec(demo.stdout())![1]!;
}, 120_000);

afterAll(async () => {
  await demo?.stop('SIGINT');
  killLeftovers();
  rmSync(dir, { recursive: true, force: true });
});

describe("the README's first recipe, literally", { timeout: 300_000 }, () => {
  it('ops show --sample, recipes new, dry-run --sample, save, the demo webhook sent: the contact is in the sandbox with its tag and task', async () => {
    const lines = readmeCommands();
    expect(lines.length).toBeGreaterThanOrEqual(8);
    const results: Array<{ line: string; r: CliResult }> = [];
    for (const line of lines) {
      const r = await shell(line);
      results.push({ line, r });
      expect(r.code, `${line}\n${r.stderr}${r.stdout}`).toBe(0);
    }
    const out = (pattern: RegExp) => results.find((x) => pattern.test(x.line))!.r;

    // the sample file is a JSON payload the recipe maps
    const sample = JSON.parse(readFileSync(join(dir, 'event.json'), 'utf8')) as { type: string; data: { id: string; email: string; name: string } };
    expect(sample).toMatchObject({ type: 'user.created', data: { email: expect.any(String), name: expect.any(String) } });
    // recipes new wrote a valid, commented draft
    expect(existsSync(join(dir, 'recipes/my-first-recipe.yaml'))).toBe(true);
    expect(out(/recipes validate/).stdout).toContain('is a valid recipe (my-first-recipe)');
    // the dry run of the unsaved file: the calls, nothing written
    const dry = out(/recipes dry-run/).stdout;
    expect(dry).toContain('recipe my-first-recipe@1 (the file, not saved)');
    expect(dry).toMatch(/POST \/contacts\/upsert|PUT \/contacts/);
    expect(dry).toContain(`title: — → "Follow up ${sample.data.name}"`);
    expect(out(/recipes save/).stdout).toContain('saved my-first-recipe v1');
    expect(out(/webhook send/).stdout).toMatch(/run \d+\s+my-first-recipe v1/);

    // the run ends, and "GHL" holds the contact with the recipe's tag and its task
    await eventually(async () => {
      const r = await shell('npx ghl-bridge runs list --recipe my-first-recipe');
      return /succeeded\s+my-first-recipe@1/.test(r.stdout) ? true : undefined;
    }, 'the run of my-first-recipe succeeded', 60_000);
    const listed = JSON.parse(out(/curl -s/).stdout) as { contacts: Array<{ id: string; email?: string }> };
    expect(Array.isArray(listed.contacts)).toBe(true);
    const contacts = (await (await fetch(`${sandbox}/_sandbox/locations/${locationId}/contacts`)).json()) as { contacts: Array<{ id: string; email?: string; tags?: string[] }> };
    const contact = contacts.contacts.find((c) => c.email === sample.data.email);
    expect(contact?.tags).toContain('my-app');
    // its task, read from GHL through the contact's 360° view
    const token = readFileSync(join(dir, 'data/admin.token'), 'utf8').trim();
    const view = (await (await fetch(`${url}/api/v1/contacts/${contact!.id}/view`, { headers: { authorization: `Bearer ${token}` } })).json()) as { tasks: Array<{ title: string; dueDate: string }> };
    const task = view.tasks.find((t) => t.title === `Follow up ${sample.data.name}`);
    expect(task?.dueDate).toMatch(/T09:00:00(\.000)?Z$/);
  });
});
