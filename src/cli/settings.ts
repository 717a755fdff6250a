/**
 * The configuration as commands need it: loaded once, every problem listed together and exit 2.
 */
import { loadConfig, type BridgeConfig } from '../config/index.js';
import { lineCount } from '../engine/text/cap.js';
import { CliError, EXIT } from './errors.js';

/**
 * @example
 * const config = configOrExit({ file: opts.config, overrides: { server: { port: 0 } } });
 */
export function configOrExit(options: { file?: string; overrides?: Record<string, unknown>; env?: NodeJS.ProcessEnv } = {}): BridgeConfig {
  const loaded = loadConfig(options);
  if (!loaded.ok) {
    const n = lineCount(loaded.problems);
    throw new CliError(EXIT.usage, `the configuration has ${n.toLocaleString('en-US')} problem${n === 1 ? '' : 's'} (fix ${n === 1 ? 'it' : 'them'} and start again):`, loaded.problems.map((p) => `  - ${p}`));
  }
  return loaded.config;
}

/** Options every command that reads the configuration takes. */
export interface ConfigFlags {
  config?: string;
}
