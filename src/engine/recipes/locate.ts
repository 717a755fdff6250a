import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isCollection, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { readRecipeFile } from '../text/recipe-file.js';
import { parsePath } from './paths.js';

/** Where a recipe path sits in a recipe file. */
export interface RecipeLocation {
  file: string;
  /** 1-based: the key of the path, or of its nearest enclosing key the file has (it may have changed since); null when none */
  line: number | null;
  /** the version the file holds now (it may be newer than a run's) */
  version: number | null;
}

interface RecipeFile {
  file: string;
  doc: Document;
  lines: LineCounter;
}

/**
 * Finds recipe paths (`actions[1].body`, `mapping.contact.email`) in the recipe files of a folder
 * (`*.yaml`, `*.yml`, `*.json`; schedules skipped). The folder is read once, on first use, so one
 * locator serves a whole list of dead letters. A folder or file that cannot be read is no
 * location, never an error: this only adds a line number to an explanation.
 *
 * @example
 * const locate = recipeLocator('./recipes');
 * locate('app-signup', 'actions[1].body'); // { file: 'recipes/app-signup.yaml', line: 41, version: 1 }
 */
export function recipeLocator(dir: string | undefined): (recipeId: string, recipePath: string) => RecipeLocation | null {
  let byId: Map<string, RecipeFile> | null = null;
  return (recipeId, recipePath) => {
    byId ??= readFolder(dir);
    const found = byId.get(recipeId);
    if (!found) return null;
    const version = found.doc.get('version');
    return { file: found.file, line: lineOf(found, recipePath), version: typeof version === 'number' ? version : null };
  };
}

function readFolder(dir: string | undefined): Map<string, RecipeFile> {
  const byId = new Map<string, RecipeFile>();
  if (!dir) return byId;
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.includes('.schedule.')).sort();
  } catch {
    return byId;
  }
  for (const name of names) {
    const file = join(dir, name);
    try {
      const text = readRecipeFile(file);
      if (!text.ok) continue;
      const lines = new LineCounter();
      const doc = parseDocument(text.text, { lineCounter: lines, uniqueKeys: false });
      const id = doc.get('id');
      if (typeof id === 'string' && !byId.has(id)) byId.set(id, { file, doc, lines });
    } catch {
      // unreadable: no line number from this file
    }
  }
  return byId;
}

/** The line of the path's key (or list item); the nearest enclosing one when the tail is absent. */
function lineOf(f: RecipeFile, recipePath: string): number | null {
  const parsed = parsePath(recipePath);
  if (!parsed.ok) return null;
  let node: Node | null = f.doc.contents;
  let line: number | null = null;
  for (const segment of parsed.segments) {
    if (!isCollection(node)) break;
    let next: { at: number | undefined; value: Node | null } | undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair) next = { at: (pair.key as Node).range?.[0], value: (pair.value as Node | null) ?? null };
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (item) next = { at: item.range?.[0], value: item };
    }
    if (!next) break;
    if (next.at !== undefined) line = f.lines.linePos(next.at).line;
    node = next.value;
  }
  return line;
}
