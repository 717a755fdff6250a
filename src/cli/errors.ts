/**
 * Exit codes scripts can rely on, and the one error type commands throw to end with one of them.
 * The message always says what to do next; it never holds a secret.
 */
export const EXIT = {
  ok: 0,
  /** the operation ran and failed (a run dead, a test refused, a recipe invalid) */
  failed: 1,
  /** bad flags, a bad config file, a missing file */
  usage: 2,
  /** the server did not answer */
  unreachable: 3,
  /** the admin token was refused */
  auth: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * @example
 * throw new CliError(EXIT.usage, 'recipes.json: no such file');
 */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    message: string,
    /** more lines printed under the message (e.g. every config problem) */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}
