import { inspect } from 'node:util';
import { InvalidConnectionError } from './errors.js';

const REDACTED = '[redacted]';

/**
 * The secret values of a connection (token, API key, client secret, webhook secret…) by name.
 * Serialising or printing it shows only the names, so a connection that reaches a log or an error
 * carries no secret; read a value with `get`/`require`.
 *
 * @example
 * const pit = connection.secrets.require('token');
 * console.log(connection.secrets); // Secrets(token) [redacted]
 */
export class Secrets {
  readonly #values: ReadonlyMap<string, string>;

  constructor(values: Readonly<Record<string, string>> = {}) {
    const map = new Map<string, string>();
    for (const [name, value] of Object.entries(values)) {
      if (typeof value !== 'string') throw new InvalidConnectionError(`secret "${name}" must be a string`);
      map.set(name, value);
    }
    this.#values = map;
  }

  get(name: string): string | undefined {
    return this.#values.get(name);
  }

  /** The value of `name`; throws (naming it, not showing anything) when absent. */
  require(name: string): string {
    const value = this.#values.get(name);
    if (value === undefined) throw new InvalidConnectionError(`the connection has no secret "${name}"`);
    return value;
  }

  names(): string[] {
    return [...this.#values.keys()];
  }

  get size(): number {
    return this.#values.size;
  }

  /** A plain copy, for handing the values to the code that uses them. */
  reveal(): Record<string, string> {
    return Object.fromEntries(this.#values);
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return `Secrets(${this.names().join(', ')}) ${REDACTED}`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
