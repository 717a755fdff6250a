import type { z } from 'zod';
import { AppActionError, type AppActions } from '../../engine/index.js';
import type { ConnectionSource } from './connections.js';
import { ConnectionProblem } from './errors.js';
import type { ConnectorRegistry } from './registry.js';
import { resolveConnection } from './resolve.js';

function issues(error: z.ZodError): Array<{ field: string; message: string }> {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
}

/** An HTTP status an app's client put on its error (`status` or `statusCode`), if any. */
function statusOf(error: unknown): number | null {
  const e = error as { status?: unknown; statusCode?: unknown } | null;
  const s = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : null;
  return s;
}

/**
 * The engine's `AppActions` port over the connectors' catalog actions: inputs checked by each
 * action's strict schema at plan time, connections resolved (secrets opened) per call. Failures
 * become `AppActionError`s: 429, 5xx and network failures are retryable; a network failure of a
 * non-idempotent action may have been applied, so it is not repeated blindly.
 *
 * @example
 * const engine = await createEngine({ db, ghl, apps: connectorActions({ registry, connections }) });
 */
export function connectorActions(deps: { registry: ConnectorRegistry; connections: ConnectionSource }): AppActions {
  return {
    describe(actionId) {
      const found = deps.registry.action(actionId);
      if (!found) return null;
      const { action } = found;
      return {
        endpoint: action.endpoint,
        idempotent: action.idempotent,
        validate: (input) => {
          const r = action.input.safeParse(input);
          return r.success ? [] : issues(r.error);
        },
      };
    },
    async run(connectionId, actionId, input, options = {}) {
      const found = deps.registry.action(actionId);
      if (!found) throw new AppActionError(`no connector offers the action "${actionId}"`);
      let resolved;
      try {
        resolved = await resolveConnection(deps.registry, deps.connections, connectionId, found.connector.app);
      } catch (e) {
        if (e instanceof ConnectionProblem) throw new AppActionError(e.message);
        throw e;
      }
      const parsed = found.action.input.safeParse(input);
      if (!parsed.success) throw new AppActionError(`${actionId}: ${issues(parsed.error).map((i) => `${i.field || 'input'}: ${i.message}`).join('; ')}`, null);
      try {
        return await found.action.run({ conn: resolved.conn, signal: options.signal, idempotencyKey: options.idempotencyKey }, parsed.data);
      } catch (error) {
        if (error instanceof AppActionError) throw error;
        const status = statusOf(error);
        const message = `${actionId} on ${connectionId}: ${(error as Error).message ?? String(error)}`;
        if (status !== null) {
          // 5xx and 408: the app may have done it before failing; 429 and other 4xx: it did not
          const maybeDone = (status >= 500 || status === 408) && !found.action.idempotent;
          throw new AppActionError(message, status, status === 429 || status === 408 || status >= 500, maybeDone);
        }
        // no answer: unless the connection was refused, it may have reached the app
        const code = ((error as { cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code) as string | undefined;
        throw new AppActionError(message, null, true, code !== 'ECONNREFUSED' && !found.action.idempotent);
      }
    },
  };
}
