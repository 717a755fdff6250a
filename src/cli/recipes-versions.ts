/**
 * `ghl-bridge recipes save|show|history|export`: recipes as versioned texts. A save is checked
 * here first (the same parser as `recipes validate`), then stored by the server as the next
 * version, with the diff against the one before.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { SaveOutcome, VersionInfo } from '../engine/index.js';
import { issueCount } from '../engine/text/cap.js';
import { readRecipeFile } from '../engine/text/recipe-file.js';
import { apiFrom, targetOptions, type Api, type TargetFlags } from './api.js';
import { CliError, EXIT } from './errors.js';
import { paint, print, printJson, status, table, when } from './output.js';
import { validateFile } from './recipes.js';

interface RecipeText {
  id: string;
  version: number;
  versions: number;
  savedAt: string;
  enabled: boolean;
  text: string;
  savedFrom: 'text' | 'object';
}

/** A diff line in its colour (only on a terminal: `paint` decides). */
function diffLine(line: string): string {
  if (line.startsWith('@@')) return paint('cyan', line);
  if (line.startsWith('+')) return paint('green', line);
  if (line.startsWith('-')) return paint('red', line);
  return line;
}

/** What `save` prints for the server's outcome. */
export function describeSave(file: string, r: SaveOutcome): string[] {
  if (r.outcome === 'unchanged') return [`unchanged: ${r.id} v${r.version} kept (${file} holds the same recipe)`];
  if (r.outcome === 'behind') return [`not saved: ${r.id} v${r.version} kept`];
  const head = r.previous === null ? `saved ${r.id} v${r.version} (a new recipe)` : `saved ${r.id} v${r.version} (was v${r.previous})`;
  const note = r.requested !== r.version ? [`  (the file says version ${r.requested}, not newer than v${r.previous}: saved as the next version; \`ghl-bridge recipes export ${r.id} --out <dir>\` writes it back with its version)`] : [];
  return [head, ...note, ...(r.previous === null ? [] : r.diff.lines.map(diffLine))];
}

/** A recipe id from the command line: an unknown one is answered by the server (with a "did you mean"). */
const recipePath = (id: string) => `/recipes/${encodeURIComponent(id)}`;

async function exportOne(api: Api, id: string, out: string | undefined): Promise<void> {
  const r = await api.get<RecipeText>(recipePath(id));
  if (out === undefined) {
    process.stdout.write(r.text.endsWith('\n') ? r.text : `${r.text}\n`);
    return;
  }
  const file = join(out, `${r.id}.yaml`);
  writeFileSync(file, r.text.endsWith('\n') ? r.text : `${r.text}\n`);
  print(`wrote ${file} (${r.id} v${r.version})`);
}

/**
 * Adds `save`, `show`, `history` and `export` to the `recipes` command.
 *
 * @example
 * // ghl-bridge recipes save recipes/app-signup.yaml
 * // ghl-bridge recipes show app-signup --version 1
 * addVersionCommands(recipes);
 */
export function addVersionCommands(recipes: Command): void {
  targetOptions(
    recipes
      .command('save')
      .description('check a recipe file, then save it as the next version of its recipe (prints the diff against the previous version)')
      .argument('<file>', 'recipe file (YAML or JSON)')
      .option('--json', 'print { outcome, id, version, previous, requested, diff }'),
  ).action(async (file: string, o: TargetFlags & { json?: boolean }) => {
    const checked = validateFile(file);
    if (checked.kind === 'schedule') throw new CliError(EXIT.usage, `${file} is a schedule: schedules are read from recipes.dir when \`ghl-bridge start\` starts (restart it to apply one); \`recipes save\` saves recipes`);
    if (!checked.ok) {
      const n = issueCount(checked.errors);
      print(`${paint('red', 'invalid')}: ${file} has ${n.toLocaleString('en-US')} problem${n === 1 ? '' : 's'} (nothing saved):`);
      for (const e of checked.errors) print(e.more ? `  … ${e.message}` : `  ${e.path || '(recipe)'}: ${e.message}`);
      process.exitCode = EXIT.failed;
      return;
    }
    const read = readRecipeFile(file);
    if (!read.ok) throw new CliError(EXIT.failed, `${file}: ${read.problem}`);
    const r = await apiFrom(o).post<SaveOutcome>(`${recipePath(checked.id!)}/versions`, { text: read.text });
    if (o.json) return printJson(r);
    for (const line of describeSave(file, r)) print(line);
  });

  targetOptions(
    recipes
      .command('show')
      .description('the text of a recipe version as it was saved, comments included (default the newest)')
      .argument('<id>', 'recipe id')
      .option('--version <n>', 'that version (see `recipes history`)')
      .option('--json', 'print { id, version, versions, savedAt, enabled, text, savedFrom, definition }'),
  ).action(async (id: string, o: TargetFlags & { version?: string; json?: boolean }) => {
    if (o.version !== undefined && !/^[1-9]\d{0,8}$/.test(o.version)) throw new CliError(EXIT.usage, `--version: expected a version number (1, 2, …; see \`ghl-bridge recipes history ${id}\`), got "${o.version}"`);
    const api = apiFrom(o);
    const r = await api.get<RecipeText>(recipePath(id), { version: o.version });
    if (o.json) return printJson(r);
    const of = r.version === r.versions ? 'the newest' : `of ${r.versions}`;
    print(paint('gray', `# ${r.id} v${r.version} (${of}), saved ${when(r.savedAt)} UTC, ${r.enabled ? 'enabled' : 'disabled'}${r.savedFrom === 'object' ? '; saved as a JSON object: shown as YAML' : ''}`));
    process.stdout.write(r.text.endsWith('\n') ? r.text : `${r.text}\n`);
  });

  targetOptions(recipes.command('history').description('every version of a recipe, newest first, with what changed from the one before').argument('<id>', 'recipe id').option('--json', 'print { id, items }')).action(
    async (id: string, o: TargetFlags & { json?: boolean }) => {
      const r = await apiFrom(o).get<{ id: string; items: Array<VersionInfo & { summary: string }> }>(`${recipePath(id)}/versions`);
      if (o.json) return printJson(r);
      print(table(['VERSION', 'SAVED (UTC)', 'STATE', 'CHANGES'], r.items.map((v) => [`v${v.version}`, when(v.savedAt), status(v.enabled ? 'enabled' : 'disabled'), v.summary])));
    },
  );

  targetOptions(
    recipes
      .command('export')
      .description('the newest version of a recipe (or of every recipe) as <id>.yaml files, or on stdout')
      .argument('[id]', 'recipe id')
      .option('--all', 'every recipe')
      .option('--out <dir>', 'write <dir>/<id>.yaml files (default: print the text)'),
  ).action(async (id: string | undefined, o: TargetFlags & { all?: boolean; out?: string }) => {
    if (id !== undefined && o.all) throw new CliError(EXIT.usage, 'export: give a recipe id or --all, not both');
    if (id === undefined && !o.all) throw new CliError(EXIT.usage, 'export: give a recipe id, or --all for every recipe');
    const api = apiFrom(o);
    const ids = id !== undefined ? [id] : (await api.list<{ id: string }>('/recipes')).map((r) => r.id);
    if (o.out !== undefined) {
      try {
        mkdirSync(o.out, { recursive: true });
      } catch (e) {
        throw new CliError(EXIT.usage, `--out ${o.out}: ${(e as Error).message}`);
      }
    }
    if (ids.length === 0) return print('no recipes to export');
    for (const [i, each] of ids.entries()) {
      // several texts on stdout: YAML documents, each named
      if (o.out === undefined && ids.length > 1) print(`${i > 0 ? '---\n' : ''}# ${each}`);
      await exportOne(api, each, o.out);
    }
  });
}
