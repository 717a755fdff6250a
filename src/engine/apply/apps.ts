import type { MappingError } from '../recipes/types.js';

/** What the engine knows of one app action before it runs it (plan time). */
export interface AppActionInfo {
  /** e.g. `POST /c/{company_id}/candidates/{id}/notes`: shown in plans and dry runs */
  endpoint: string;
  /** safe to repeat after an ambiguous failure */
  idempotent: boolean;
  /** Checks a resolved input; problems are named by their input path (`candidateId`, `body`). */
  validate(input: Record<string, unknown>): MappingError[];
}

/**
 * The port through which recipes act on source apps (`type: app` actions). The connectors
 * implement it (`connectorActions` in `src/connectors/runtime`); the engine only plans, journals
 * and runs the calls, so it never depends on a connector.
 *
 * @example
 * const engine = await createEngine({ db, ghl, apps: connectorActions({ connectors, connections }) });
 */
export interface AppActions {
  /** null when no connector offers the action */
  describe(actionId: string): AppActionInfo | null;
  /** `idempotencyKey`: stable across retries of one run step, unique per step. */
  run(connectionId: string, actionId: string, input: Record<string, unknown>, options?: { signal?: AbortSignal; idempotencyKey?: string }): Promise<unknown>;
}

/** An app action that failed for good (bad input, refused by the app): the run is dead-lettered. */
export class AppActionError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
    /** worth retrying later (network, 429, 5xx) */
    readonly retryable = false,
    /** it may have been applied (a non-idempotent call that failed in flight) */
    readonly mayHaveSucceeded = false,
  ) {
    super(message);
    this.name = 'AppActionError';
  }
}
