import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/engine/db/index.js';
import { recipeHistory, recipeVersionText } from '../../../src/engine/index.js';
import { parseRecipe } from '../../../src/engine/recipes/index.js';
import type { Recipe } from '../../../src/engine/recipes/types.js';
import { saveRecipeVersion, withVersion } from '../../../src/engine/recipes/versions.js';
import { pgliteDatabase, type TestDatabase } from '../../support/databases.js';

const TEXT = `# sign-ups from our app
id: vers
version: 1
trigger: { source: app, events: [user.created] }
connection: ghl-main
recordId: data.id
mapping:
  contact:
    email: data.email # where the app puts it
actions:
  - type: upsertContact
`;

const parse = (text: string): Recipe => {
  const r = parseRecipe(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.recipe;
};

let t: TestDatabase;
beforeEach(async () => {
  t = await pgliteDatabase();
  await migrate(t.db);
});
afterEach(() => t.drop());

describe('recipe versions', () => {
  it('a save is the next version; the same content keeps the newest; each version keeps its text', async () => {
    const first = await saveRecipeVersion(t.db, parse(TEXT), { text: TEXT, mode: 'next' });
    expect(first).toMatchObject({ outcome: 'created', id: 'vers', version: 1, previous: null, requested: 1 });
    expect(await saveRecipeVersion(t.db, parse(TEXT), { text: TEXT, mode: 'next' })).toEqual({ outcome: 'unchanged', id: 'vers', version: 1, requested: 1 });

    // the file still says version 1: stored as v2, and the stored text says v2
    const edited = TEXT.replace('    email: data.email # where the app puts it', '    email: data.email # where the app puts it\n    phone: data.phone');
    const second = await saveRecipeVersion(t.db, parse(edited), { text: edited, mode: 'next' });
    expect(second).toMatchObject({ outcome: 'created', version: 2, previous: 1, requested: 1, diff: { added: 2, removed: 1 } });
    if (second.outcome !== 'created') throw new Error('not created');
    expect(second.diff.lines).toContain('+    phone: data.phone');
    expect(second.diff.lines).toContain('-version: 1');
    const shown = await recipeVersionText(t.db, 'vers');
    expect(shown).toMatchObject({ version: 2, savedFrom: 'text', definition: { version: 2 } });
    expect(shown!.text).toBe(edited.replace('version: 1', 'version: 2'));
    expect(shown!.text).toContain('# where the app puts it');
    expect((await recipeVersionText(t.db, 'vers', 1))!.text).toBe(TEXT);
    expect(await recipeVersionText(t.db, 'vers', 7)).toBeNull();
    // the same file again: unchanged (its version line is not a change)
    expect(await saveRecipeVersion(t.db, parse(edited), { text: edited, mode: 'next' })).toMatchObject({ outcome: 'unchanged', version: 2 });
    // a comment alone is a change of what the user wrote
    const commented = edited.replace('# sign-ups', '# all sign-ups');
    expect(await saveRecipeVersion(t.db, parse(commented), { text: commented, mode: 'next' })).toMatchObject({ outcome: 'created', version: 3 });
    // a file version above the newest is kept
    const ahead = commented.replace('version: 1', 'version: 9').replace('phone: data.phone', 'phone: data.mobile');
    expect(await saveRecipeVersion(t.db, parse(ahead), { text: ahead, mode: 'next' })).toMatchObject({ outcome: 'created', version: 9, previous: 3, requested: 9 });

    const history = await recipeHistory(t.db, 'vers');
    expect(history.map((v) => [v.version, v.added, v.removed])).toEqual([
      [9, 2, 2],
      [3, 2, 2],
      [2, 2, 1],
      [1, 11, 0],
    ]);
    expect(history.every((v) => v.enabled && /^\d{4}-\d\d-\d\dT/.test(v.savedAt))).toBe(true);
  });

  it("`file` mode (start): a file not newer than the database's, with other content, is not saved", async () => {
    await saveRecipeVersion(t.db, parse(TEXT), { text: TEXT, mode: 'file' });
    const v2 = TEXT.replace('version: 1', 'version: 2').replace('data.email', 'data.mail');
    await saveRecipeVersion(t.db, parse(v2), { text: v2, mode: 'next' });
    // the old file at a restart: v2 stays (no roll back), and the caller is told
    expect(await saveRecipeVersion(t.db, parse(TEXT), { text: TEXT, mode: 'file' })).toEqual({ outcome: 'behind', id: 'vers', version: 2, requested: 1 });
    expect(await saveRecipeVersion(t.db, parse(v2), { text: v2, mode: 'file' })).toMatchObject({ outcome: 'unchanged', version: 2 });
    const v3 = v2.replace('version: 2', 'version: 3').replace('data.mail', 'data.email');
    expect(await saveRecipeVersion(t.db, parse(v3), { text: v3, mode: 'file' })).toMatchObject({ outcome: 'created', version: 3 });
  });

  it('saves at the same time each get their own version; a disabled recipe stays disabled', async () => {
    await saveRecipeVersion(t.db, parse(TEXT), { text: TEXT, mode: 'next' });
    await t.db.query(`update recipes set enabled = false where id = 'vers'`);
    const texts = [1, 2, 3].map((n) => TEXT.replace('data.email', `data.email${n}`));
    const saved = await Promise.all(texts.map((x) => saveRecipeVersion(t.db, parse(x), { text: x, mode: 'next' })));
    expect(saved.map((s) => s.version).sort()).toEqual([2, 3, 4]);
    expect((await recipeHistory(t.db, 'vers')).every((v) => !v.enabled)).toBe(true);
  });

  it("a version whose text changes the `enabled` line takes it; one that leaves it keeps the switch's state", async () => {
    await saveRecipeVersion(t.db, parse(TEXT), { text: TEXT, mode: 'next' });
    const off = TEXT.replace('connection: ghl-main', 'connection: ghl-main\nenabled: false');
    expect(await saveRecipeVersion(t.db, parse(off), { text: off, mode: 'next' })).toMatchObject({ outcome: 'created', version: 2 });
    expect((await recipeVersionText(t.db, 'vers'))!.enabled).toBe(false);
    // switched on by `recipes enable`, then an edit elsewhere: stays on
    await t.db.query(`update recipes set enabled = true where id = 'vers'`);
    const edited = off.replace('data.email', 'data.mail');
    await saveRecipeVersion(t.db, parse(edited), { text: edited, mode: 'next' });
    expect((await recipeVersionText(t.db, 'vers'))!.enabled).toBe(true);
    // `enabled: true` written in the file switches a disabled recipe back on
    await t.db.query(`update recipes set enabled = false where id = 'vers'`);
    const on = edited.replace('enabled: false', 'enabled: true');
    await saveRecipeVersion(t.db, parse(on), { text: on, mode: 'next' });
    expect((await recipeVersionText(t.db, 'vers'))!.enabled).toBe(true);
  });

  it('`file` mode: a file at the stored version that differs only in comments is that version, not behind', async () => {
    await saveRecipeVersion(t.db, parse(TEXT), { text: TEXT, mode: 'file' });
    const commented = TEXT.replace('# sign-ups from our app', '# sign-ups from our app (reviewed)');
    expect(await saveRecipeVersion(t.db, parse(commented), { text: commented, mode: 'file' })).toEqual({ outcome: 'unchanged', id: 'vers', version: 1, requested: 1 });
    expect((await recipeVersionText(t.db, 'vers'))!.text).toBe(TEXT);
  });

  it('withVersion edits only the top-level version (YAML line or JSON key), else keeps the text', () => {
    expect(withVersion(TEXT, 4)).toBe(TEXT.replace('version: 1', 'version: 4'));
    const json = JSON.stringify({ ...parse(TEXT), version: 1 }, null, 2);
    expect(JSON.parse(withVersion(json, 5)).version).toBe(5);
    expect(withVersion('not: a recipe\n', 3)).toBe('not: a recipe\n');
  });
});
