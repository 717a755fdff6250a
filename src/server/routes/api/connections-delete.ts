import { z } from 'zod';
import { createSqlTokenStore } from '../../../engine/index.js';
import { ApiError } from '../../http/errors.js';
import { forgetConnectionTest } from '../../queries/connections.js';
import { defineRoute } from '../contract.js';
import { idText } from './shared.js';

export default defineRoute({
  method: 'DELETE',
  path: '/api/v1/connections/{id}',
  summary: 'Delete a connection and its OAuth tokens',
  tag: 'connections',
  auth: true,
  params: z.strictObject({ id: idText }),
  responses: { 200: { description: 'Deleted, with its OAuth tokens', body: z.object({ deleted: z.literal(true), id: z.string() }) }, 404: { description: 'no such connection' } },
  async handler({ params, server, c }) {
    const { bridge } = server;
    if (!(await bridge.connections.delete(params.id))) throw new ApiError(404, 'not-found', `no connection "${params.id}"`);
    bridge.ghl.forget(params.id);
    // the tokens are useless without the connection and must not outlive it
    await createSqlTokenStore({ db: bridge.db, keyring: bridge.keyring }).delete(`connection:${params.id}`);
    await forgetConnectionTest(bridge.db, params.id);
    return c.json({ deleted: true as const, id: params.id });
  },
});
