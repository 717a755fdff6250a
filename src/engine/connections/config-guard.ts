import { InvalidConnectionError } from './errors.js';

/** Setting names that hold secrets: those go in `secrets`, which are sealed, not in `config`. */
const SECRET_NAME = /secret|password|passphrase|credential|api[-_]?key|private[-_]?key|tokens?$|^pit$/i;

/**
 * Refuses a config that holds a setting named like a secret (at any depth), so that a secret put
 * in the wrong place does not end up unencrypted and in list output. The error names the
 * setting, not its value.
 *
 * @example
 * assertNoSecretsInConfig({ locationId: 'abc' }); // fine
 * assertNoSecretsInConfig({ apiKey: '…' });        // throws InvalidConnectionError
 */
export function assertNoSecretsInConfig(config: unknown, path = 'config'): void {
  if (Array.isArray(config)) {
    config.forEach((item, i) => assertNoSecretsInConfig(item, `${path}[${i}]`));
    return;
  }
  if (typeof config !== 'object' || config === null) return;
  for (const [name, value] of Object.entries(config)) {
    if (SECRET_NAME.test(name)) throw new InvalidConnectionError(`${path}.${name} looks like a secret: pass it in secrets, which are encrypted`);
    assertNoSecretsInConfig(value, `${path}.${name}`);
  }
}
