import { z } from 'zod';
import { CONNECTION_APPS, type ConnectionSummary } from '../../../engine/index.js';
import { lastConnectionTests, oauthTokenStates } from '../../queries/connections.js';
import { offsetPage, pageQuery } from '../../queries/page.js';
import type { ServerContext } from '../contract.js';
import { defineRoute } from '../contract.js';
import { authKindOf } from './connectors-schemas.js';

/** A connection as every route answers it: never its secrets (nor their names), with its health. */
export const connectionBody = z.object({
  id: z.string(),
  app: z.enum(CONNECTION_APPS),
  name: z.string(),
  config: z.record(z.string(), z.unknown()).describe('non-secret settings'),
  hasSecrets: z.boolean().describe('whether secrets are stored (they are never answered)'),
  keyId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  authKind: z.string().describe('pit, oauth, signing-secret, api-key, api-token'),
  needsReauth: z.object({ reason: z.string(), since: z.string(), failures: z.number() }).optional().describe("present while the app refuses its credentials (its recipes' runs wait)"),
  lastTest: z.object({ ok: z.boolean(), message: z.string(), at: z.string() }).nullable().describe('the last POST …/test'),
  oauth: z.object({ expiresAt: z.string(), updatedAt: z.string() }).nullable().describe('OAuth connections: when the stored access token expires and was last stored'),
});
export type ConnectionBody = z.infer<typeof connectionBody>;

/** Summaries with their auth kind, reauthorization hold, last test and OAuth token state. */
export async function describeConnections(server: ServerContext, all: ConnectionSummary[]): Promise<ConnectionBody[]> {
  const ids = all.map((c) => c.id);
  const [holds, tests, tokens] = await Promise.all([server.bridge.engine.holds(), lastConnectionTests(server.bridge.db, ids), oauthTokenStates(server.bridge.db, ids)]);
  const held = new Map(holds.connections.map((h) => [h.connectionId, h]));
  return all.map((conn) => {
    const h = held.get(conn.id);
    // spelled out: a field added to the summary later is not answered until it is listed here
    return {
      id: conn.id, app: conn.app, name: conn.name, config: conn.config, hasSecrets: conn.hasSecrets, keyId: conn.keyId,
      createdAt: new Date(conn.createdAt).toISOString(), updatedAt: new Date(conn.updatedAt).toISOString(),
      authKind: authKindOf(conn.app, conn.config),
      ...(h ? { needsReauth: { reason: h.reason, since: h.since.toISOString(), failures: h.failures } } : {}),
      lastTest: tests.get(conn.id) ?? null,
      oauth: tokens.get(conn.id) ?? null,
    };
  });
}

/**
 * Every connection without secrets (the repository's summaries never read the sealed column), with
 * `needsReauth` while its credentials are refused and its recipes' runs wait.
 */
export default defineRoute({
  method: 'GET',
  path: '/api/v1/connections',
  summary: 'List connections (never their secrets), with auth kind, reauthorization needed, last test and OAuth token expiry',
  tag: 'connections',
  auth: true,
  query: z.strictObject({ app: z.enum(CONNECTION_APPS).optional(), ...pageQuery }),
  responses: { 200: { description: 'A page of connections', body: z.object({ items: z.array(connectionBody), next: z.string().optional() }) } },
  async handler({ query, server, c }) {
    const all = await server.bridge.connections.list(query.app ? { app: query.app } : {});
    return c.json(offsetPage(await describeConnections(server, all), query.limit, query.cursor));
  },
});
