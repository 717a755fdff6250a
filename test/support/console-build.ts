/**
 * Vitest global setup of the integration project: the console's browser tests need dist/web
 * built from the current web/ sources. Builds it (about a second) only when it is missing or older
 * than a source file, once before all test files, so parallel test files never build at the same time.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
export const CONSOLE_DIR = join(root, 'dist/web');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** True when dist/web is missing or older than web/ (or the API types it is built with). */
export function consoleIsStale(): boolean {
  const index = join(CONSOLE_DIR, 'index.html');
  if (!existsSync(index)) return true;
  return newest(join(root, 'web')) > statSync(index).mtimeMs;
}

export default async function setup(): Promise<void> {
  if (!consoleIsStale()) return;
  const { build } = await import('vite');
  // vitest sets NODE_ENV=test, which would make Vite bundle React's development build
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(root, 'web/vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = env;
  }
}
