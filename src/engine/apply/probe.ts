import { claimHoldsToProbe, holdConnection, releaseConnection } from '../queue/holds.js';
import { needsReauthorization, type RunnerDeps } from './run.js';

/**
 * Tries each held connection that is due (see `claimHoldsToProbe`) with one cheap authenticated
 * read (a search for one contact): if it works, the hold ends and the connection's runs go again;
 * refused again, the hold stays (and backs off); any other failure (GHL down) says nothing about
 * the credentials, so it is simply tried later. Answers the connections released.
 *
 * @example
 * const released = await probeHeldConnections(deps, 30);
 */
export async function probeHeldConnections(deps: Pick<RunnerDeps, 'db' | 'ghl' | 'log'>, everySeconds: number): Promise<string[]> {
  const released: string[] = [];
  for (const connectionId of await claimHoldsToProbe(deps.db, everySeconds)) {
    try {
      const target = await deps.ghl(connectionId);
      await target.client.contacts.search({ pageLimit: 1 });
    } catch (error) {
      if (needsReauthorization(error)) await holdConnection(deps.db, connectionId, (error as Error).message);
      continue;
    }
    if (await releaseConnection(deps.db, connectionId)) {
      released.push(connectionId);
      deps.log?.('info', `connection ${connectionId} works again: the runs that waited for it resume`, { event: 'connection.reauthorized', connection: connectionId });
    }
  }
  return released;
}
