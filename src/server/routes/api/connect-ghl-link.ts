import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { oauthClientOf } from '../../oauth/client.js';
import { issueConnectTicket } from '../../oauth/tickets.js';
import { defineRoute } from '../contract.js';
import { createConnectionBody } from './connections-create.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/connect/ghl',
  summary: 'Issue a single-use, short-lived link that connects a GHL location by OAuth (only such a link starts /connect/ghl)',
  tag: 'oauth',
  auth: true,
  body: z.strictObject({ connectionId: createConnectionBody.shape.id }).optional(),
  responses: { 201: { description: 'Open the url in a browser once (it connects, or with connectionId re-authorizes, that GHL location)', body: z.object({ url: z.string(), expiresAt: z.string(), connectionId: z.string().nullable() }) }, 404: { description: 'OAuth is not configured' }, 409: { description: 'the connection is not a GHL location' } },
  async handler({ body, server, c }) {
    const { bridge } = server;
    if (!oauthClientOf(bridge.config)) throw new ApiError(404, 'oauth-not-configured', 'GHL OAuth is not configured: set ghl.oauth.clientId in the config file and env GHL_CLIENT_SECRET (or connect a location with a Private Integration Token)');
    const connectionId = body?.connectionId ?? null;
    if (connectionId) {
      const existing = (await bridge.connections.list()).find((k) => k.id === connectionId);
      // refused now rather than after the person went through the marketplace
      if (existing && existing.app !== 'ghl-location') throw new ApiError(409, 'conflict', `connection "${connectionId}" is a ${existing.app} connection, not a GHL location`, 'connectionId');
    }
    const { ticket, expiresAt } = await issueConnectTicket(bridge.db, connectionId, Date.now());
    c.header('cache-control', 'no-store');
    return c.json({ url: `${server.publicUrl()}/connect/ghl?ticket=${ticket}`, expiresAt: new Date(expiresAt).toISOString(), connectionId }, 201);
  },
});
