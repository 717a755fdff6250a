import type { z } from 'zod';
import { printable } from '../engine/text/printable.js';

/** A connection's settings that do not parse: which field, and why (never its value). */
export class ConnectionSettingsError extends Error {
  constructor(
    readonly connectionId: string,
    readonly field: string,
    readonly problem: string,
    app = 'the',
  ) {
    super(`${app} connection "${connectionId}": ${field}: ${problem}`);
    this.name = 'ConnectionSettingsError';
  }
}

/**
 * Parses a connection's `config` or `secrets` with the connector's schema; the first problem is
 * thrown with its field path (`config.customers.key`, `secrets.token`), never the value.
 *
 * @example
 * const config = readSettings(configSchema, stored.config, 'config', (field, message) => { throw new ConnectionSettingsError(stored.id, field, message, 'erp'); });
 */
export function readSettings<T>(schema: z.ZodType<T>, value: unknown, prefix: 'config' | 'secrets', fail: (field: string, message: string) => never): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  // an unknown key is named itself (`config.customers.kye`), not the object holding it
  const at = issue.code === 'unrecognized_keys' && issue.keys.length > 0 ? [...issue.path, issue.keys[0]!] : issue.path;
  const path = at.map((p) => (typeof p === 'number' ? `[${p}]` : `.${printable(String(p), 80)}`)).join('');
  return fail(`${prefix}${path}`, issue.message);
}
