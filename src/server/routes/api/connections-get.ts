import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { defineRoute } from '../contract.js';
import { connectionBody, describeConnections } from './connections-list.js';
import { idText } from './shared.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/connections/{id}',
  summary: 'One connection (no secrets)',
  tag: 'connections',
  auth: true,
  params: z.strictObject({ id: idText }),
  responses: { 200: { description: 'The connection', body: connectionBody }, 404: { description: 'no such connection' } },
  async handler({ params, server, c }) {
    const [found] = (await server.bridge.connections.list()).filter((s) => s.id === params.id);
    if (!found) throw new ApiError(404, 'not-found', `no connection "${params.id}"`);
    return c.json((await describeConnections(server, [found]))[0]!);
  },
});
