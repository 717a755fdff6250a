/**
 * Recipe versions as authors see them: a save is the next version of a recipe (the file's own
 * `version:` is a floor, never a reason to refuse), an identical save keeps the newest, and each
 * version keeps the text it came from. `start` uses the cautious `file` mode: a file whose version
 * is not newer than the database's, with other content, is not saved (a restart never rolls back a
 * version saved by `recipes save` or the API); the caller says so.
 */
import { stringify } from 'yaml';
import type { Queryable } from '../db/types.js';
import { stableJson } from '../plan/hash.js';
import { lineDiff } from '../text/line-diff.js';
import { parseRecipe } from './schema.js';
import type { Recipe } from './types.js';

export type SaveMode = 'next' | 'file';

export type SaveOutcome =
  /** a new version was stored; `previous` is the newest before it (null: a new recipe) */
  | { outcome: 'created'; id: string; version: number; previous: number | null; requested: number; diff: { added: number; removed: number; lines: string[] } }
  /** the content is the newest version's: nothing stored */
  | { outcome: 'unchanged'; id: string; version: number; requested: number }
  /** `file` mode: the file is not newer than the stored newest and differs from it: nothing stored */
  | { outcome: 'behind'; id: string; version: number; requested: number };

interface VersionRow {
  version: number;
  definition: Recipe;
  source: string | null;
  enabled: boolean;
  created_at: Date | string;
}

/**
 * The text with its top-level `version:` set to `version` (YAML line or JSON key), so a stored
 * text says the version it is; the original text when the edit would change anything else.
 *
 * @example
 * withVersion('id: a\nversion: 1 # first\n', 3); // 'id: a\nversion: 3 # first\n'
 */
export function withVersion(text: string, version: number): string {
  const edited = /^\s*\{/.test(text) ? text.replace(/("version"\s*:\s*)\d+/, `$1${version}`) : text.replace(/^(version:[ \t]*)\d+/m, `$1${version}`);
  if (edited === text) return text;
  const before = parseRecipe(text);
  const after = parseRecipe(edited);
  return before.ok && after.ok && after.recipe.version === version && sameContent(before.recipe, after.recipe) ? edited : text;
}

/** Equal but for the version number. */
export function sameContent(a: Recipe, b: Recipe): boolean {
  return stableJson({ ...a, version: 0 }) === stableJson({ ...b, version: 0 });
}

/** A version's text: the one it was saved from, else its definition as YAML. */
export function versionText(row: Pick<VersionRow, 'definition' | 'source'>): string {
  return row.source ?? stringify(row.definition);
}

async function newest(db: Queryable, id: string): Promise<VersionRow | null> {
  const { rows } = await db.query<VersionRow>('select version, definition, source, enabled, created_at from recipes where id = $1 order by version desc limit 1', [id]);
  return rows[0] ?? null;
}

/**
 * Saves `recipe` (parsed from `text`, when it came from one) as its recipe's next version.
 * Concurrent saves of one recipe each get their own version (a lost insert race is retried).
 *
 * @example
 * await saveRecipeVersion(db, recipe, { text, mode: 'next' }); // { outcome: 'created', version: 3, previous: 2, … }
 */
export async function saveRecipeVersion(db: Queryable, recipe: Recipe, o: { text?: string; mode: SaveMode }): Promise<SaveOutcome> {
  const requested = recipe.version;
  for (let attempt = 0; ; attempt++) {
    const prev = await newest(db, recipe.id);
    if (prev) {
      const sameText = prev.source === null || o.text === undefined || withVersion(o.text, prev.version) === prev.source;
      if (sameContent(prev.definition, recipe) && sameText) return { outcome: 'unchanged', id: recipe.id, version: prev.version, requested };
      // at boot, a file at the stored version that differs only in comments or layout is that version
      if (o.mode === 'file' && requested === prev.version && sameContent(prev.definition, recipe)) return { outcome: 'unchanged', id: recipe.id, version: prev.version, requested };
      if (o.mode === 'file' && requested <= prev.version) return { outcome: 'behind', id: recipe.id, version: prev.version, requested };
    }
    const version = prev ? Math.max(requested, prev.version + 1) : requested;
    const text = o.text === undefined ? undefined : withVersion(o.text, version);
    const stored = { ...recipe, version };
    // a new version starts as enabled as the recipe is now (enable/disable switch every version),
    // unless its text changes the `enabled` line: then what it now says is what the user asked for
    const enabled = prev && prev.definition.enabled === recipe.enabled ? prev.enabled : recipe.enabled !== false;
    const { rows } = await db.query('insert into recipes (id, version, definition, enabled, source) values ($1, $2, $3, $4, $5) on conflict (id, version) do nothing returning version', [recipe.id, version, JSON.stringify(stored), enabled, text ?? null]);
    if (rows.length === 1) {
      const diff = lineDiff(prev ? versionText(prev) : '', text ?? stringify(stored));
      return { outcome: 'created', id: recipe.id, version, previous: prev?.version ?? null, requested, diff };
    }
    if (attempt >= 5) throw new Error(`recipe ${recipe.id}: version ${version} was taken by another save at the same time, five times; save again`);
  }
}

export interface VersionInfo {
  version: number;
  savedAt: string;
  enabled: boolean;
  /** lines added and removed since the version before (every line for the first) */
  added: number;
  removed: number;
}

/**
 * Every version of a recipe, newest first, with what changed from the one before.
 *
 * @example
 * await recipeHistory(db, 'app-signup'); // [{ version: 2, savedAt, enabled, added: 2, removed: 1 }, …]
 */
export async function recipeHistory(db: Queryable, id: string): Promise<VersionInfo[]> {
  const { rows } = await db.query<VersionRow>('select version, definition, source, enabled, created_at from recipes where id = $1 order by version', [id]);
  const out: VersionInfo[] = [];
  let before = '';
  for (const r of rows) {
    const text = versionText(r);
    const d = lineDiff(before, text);
    out.push({ version: r.version, savedAt: new Date(r.created_at).toISOString(), enabled: r.enabled, added: d.added, removed: d.removed });
    before = text;
  }
  return out.reverse();
}

/**
 * One version (the newest without `version`) with its text.
 *
 * @example
 * await recipeVersionText(db, 'app-signup'); // { version: 2, text: 'id: app-signup\n…', savedFrom: 'text', … }
 */
export async function recipeVersionText(db: Queryable, id: string, version?: number): Promise<{ version: number; savedAt: string; enabled: boolean; definition: Recipe; text: string; savedFrom: 'text' | 'object' } | null> {
  const { rows } = await db.query<VersionRow>(
    `select version, definition, source, enabled, created_at from recipes where id = $1 ${version === undefined ? '' : 'and version = $2'} order by version desc limit 1`,
    version === undefined ? [id] : [id, version],
  );
  const r = rows[0];
  return r ? { version: r.version, savedAt: new Date(r.created_at).toISOString(), enabled: r.enabled, definition: r.definition, text: versionText(r), savedFrom: r.source === null ? 'object' : 'text' } : null;
}
