import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './harness.js';

/**
 * `recipes new` without a terminal (the child's stdin is not a TTY): every answer from flags, a
 * missing one named (exit 2), the file written where asked and valid for `recipes validate`, an
 * existing file kept unless --force. No server is needed.
 */

const dir = mkdtempSync(join(tmpdir(), 'ghlb-cli-recipes-new-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flags = ['--trigger', 'recruitee.candidate.stageChanged', '--connection', 'ghl-main', '--action', 'upsertContact', '--action', 'task', '--action', 'note', '--id', 'my-stages'];

describe('ghl-bridge recipes new (flags)', { timeout: 120_000 }, () => {
  it('writes recipes/<id>.yaml, commented, and recipes validate accepts it', async () => {
    const r = await runCli(['recipes', 'new', ...flags], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('wrote recipes/my-stages.yaml: recipe my-stages (recruitee.candidate.stageChanged, candidate.stage_changed → ghl-main; upsertContact, task, note), valid');
    expect(r.stdout).toContain('npx ghl-bridge recipes validate recipes/my-stages.yaml');
    const text = readFileSync(join(dir, 'recipes', 'my-stages.yaml'), 'utf8');
    expect(text).toMatch(/^# my-stages: .*recruitee\.candidate\.stageChanged/);
    expect(text).toContain('recordId: candidate.id');
    expect(text).toContain('    email: { path: candidate.email, transforms: [email] }');
    expect(text).toMatch(/^ {4}# customFields:/m);
    const v = await runCli(['recipes', 'validate', 'recipes/my-stages.yaml'], { cwd: dir });
    expect(v.stdout).toBe('ok: recipes/my-stages.yaml is a valid recipe (my-stages)\n');
    expect(v.code).toBe(0);
  });

  it('keeps an existing file (exit 2) unless --force', async () => {
    writeFileSync(join(dir, 'mine.yaml'), '# my own work\n');
    const kept = await runCli(['recipes', 'new', ...flags, '--out', 'mine.yaml'], { cwd: dir });
    expect(kept.code).toBe(2);
    expect(kept.stderr).toContain('--out mine.yaml: the file exists; pass --force to overwrite it, or choose another --out');
    expect(readFileSync(join(dir, 'mine.yaml'), 'utf8')).toBe('# my own work\n');
    const forced = await runCli(['recipes', 'new', ...flags, '--out', 'mine.yaml', '--force'], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, 'mine.yaml'), 'utf8')).toContain('id: my-stages');
  });

  it('names every missing flag at once, exit 2; a wrong one with a suggestion', async () => {
    const missing = await runCli(['recipes', 'new', '--app', 'webhook'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing --trigger, --source, --connection, --id: without a terminal to ask in, recipes new takes every answer as a flag');
    expect(missing.stderr).toContain('--trigger: one of webhook.custom, webhook.github, webhook.standard-webhooks, webhook.stripe');
    const wrong = await runCli(['recipes', 'new', '--trigger', 'webhook.standard-webhooks', '--event', 'user.created', '--source', 'my-app', '--connection', 'ghl-main', '--id', 'x', '--action', 'tasks'], { cwd: dir });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--action: unknown action "tasks" (did you mean "task"?)');
  });
});
