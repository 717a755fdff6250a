import { z } from 'zod';
import { describeChannels } from '../../notify/index.js';
import { defineRoute } from '../contract.js';
import { channelSummarySchema } from './incidents-schema.js';

export default defineRoute({
  method: 'GET',
  path: '/api/v1/alerts/channels',
  summary: 'The configured alert channels: names, types, targets and missing env vars (never their secrets)',
  tag: 'alerts',
  auth: true,
  responses: { 200: { description: 'the channels', body: z.object({ items: z.array(channelSummarySchema) }) } },
  handler({ server, c }) {
    return c.json({ items: describeChannels(server.bridge.config.alerts, process.env) });
  },
});
