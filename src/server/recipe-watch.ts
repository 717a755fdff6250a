/**
 * `start --watch-recipes`: the recipes folder watched, each changed or new recipe file saved as
 * its recipe's next version (as `recipes save` does) once the editor has finished writing it. A
 * file that does not parse is not saved: the running version goes on and the log says why.
 * Schedules are read at start only: a changed one is logged as needing a restart.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Engine } from '../engine/index.js';
import { saveRecipeFile } from './recipe-file-save.js';

export interface RecipeWatchOptions {
  dir: string;
  engine: Pick<Engine, 'saveRecipeVersion'>;
  logger: Logger;
  /** `recipes.only` of the config */
  only?: string[];
  /** quiet time after the last write of a file before it is read (editors write several times) */
  debounceMs?: number;
}

export interface RecipeWatch {
  /** Stops watching; a reload in progress finishes first. */
  close(): Promise<void>;
}

const RECIPE_FILE = /^[^.~#][^/]*\.(ya?ml|json)$/;

/**
 * @example
 * const watcher = watchRecipes({ dir: config.recipes.dir, engine: bridge.engine, logger });
 * // on Ctrl-C
 * await watcher.close();
 */
export function watchRecipes(o: RecipeWatchOptions): RecipeWatch {
  const debounceMs = o.debounceMs ?? 200;
  const timers = new Map<string, NodeJS.Timeout>();
  // one reload at a time: two files of one recipe never race for the same version
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  const reload = async (name: string): Promise<void> => {
    const file = join(o.dir, name);
    if (!existsSync(file)) {
      o.logger.info({ file }, 'recipe file removed: its saved versions stay in use (`ghl-bridge recipes disable <id>` stops one)');
      return;
    }
    if (name.includes('.schedule.')) {
      o.logger.warn({ file }, 'schedule file changed: restart `ghl-bridge start` to apply it (the running schedules go on)');
      return;
    }
    const r = await saveRecipeFile(o.engine, file, 'next', o.only);
    if (r.kind === 'invalid') o.logger.warn({ file, problems: r.problems }, `recipe file not reloaded, the running version stays: ${r.problems.join('; ')}`);
    else if (r.kind === 'skipped') o.logger.info({ file, recipe: r.id }, 'recipe file changed, not loaded: its id is not in recipes.only');
    else if (r.outcome.outcome === 'created') o.logger.info({ file, recipe: r.outcome.id, from: r.outcome.previous, to: r.outcome.version }, `recipe reloaded: ${r.outcome.id} v${r.outcome.previous ?? '-'} → v${r.outcome.version}`);
    else o.logger.debug({ file, recipe: r.outcome.id, version: r.outcome.version }, 'recipe file written, content unchanged');
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(o.dir, (_event, name) => {
      if (closed || !name || !RECIPE_FILE.test(name)) return;
      clearTimeout(timers.get(name));
      timers.set(
        name,
        setTimeout(() => {
          timers.delete(name);
          chain = chain.then(() => reload(name)).catch((e: unknown) => o.logger.warn({ file: join(o.dir, name), err: (e as Error).message }, 'recipe file not reloaded, the running version stays'));
        }, debounceMs),
      );
    });
    watcher.on('error', (e) => o.logger.warn({ dir: o.dir, err: e.message }, 'watching the recipes folder stopped: restart to pick up changes'));
    o.logger.info({ dir: o.dir, debounceMs }, 'watching the recipes folder');
  } catch (e) {
    o.logger.warn({ dir: o.dir, err: (e as Error).message }, 'cannot watch the recipes folder: changes need a restart');
  }

  return {
    async close() {
      closed = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      watcher?.close();
      await chain;
    },
  };
}
