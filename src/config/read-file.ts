/**
 * The configuration file's text → data: at most `CONFIG_TEXT_LIMIT`, UTF-8 (UTF-16 and binary
 * files are named as such, never echoed), one YAML document without duplicate keys (checked in
 * linear time). Problems come as lines `<file>: …`, at most `MAX_LISTED_PROBLEMS` of them.
 */
import { capLines } from '../engine/text/cap.js';
import { readTextFile } from '../engine/text/decode.js';
import { CONFIG_TEXT_LIMIT } from '../engine/text/limits.js';
import { runSteps } from '../engine/text/steps.js';
import { readYaml } from '../engine/text/yaml.js';

export type ConfigFileRead = { ok: true; data: unknown } | { ok: false; problems: string[] };

/**
 * Reads and parses a configuration file (the data is not checked against the schema here).
 *
 * @example
 * const r = readConfigFile('ghl-bridge.yaml');
 * if (!r.ok) r.problems; // ['ghl-bridge.yaml: the file is UTF-16 encoded; save it as UTF-8']
 */
export function readConfigFile(file: string): ConfigFileRead {
  let read: ReturnType<typeof readTextFile>;
  try {
    read = readTextFile(file, CONFIG_TEXT_LIMIT);
  } catch (e) {
    return { ok: false, problems: [`${file}: ${(e as NodeJS.ErrnoException).code === 'EISDIR' ? 'a folder, not a file' : (e as Error).message}`] };
  }
  if (!read.ok) return { ok: false, problems: [`${file}: ${read.problem}`] };
  const yaml = runSteps(readYaml(read.text));
  if (!yaml.ok) return { ok: false, problems: capLines(yaml.issues.map((i) => `${file}: ${i.path ? `${i.path}: ` : ''}${i.message}`), yaml.total) };
  return { ok: true, data: yaml.data ?? {} };
}
