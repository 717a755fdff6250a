import { z } from 'zod';
import { ApiError } from '../../http/errors.js';
import { UnknownChannelError } from '../../notify/index.js';
import { defineRoute } from '../contract.js';

export default defineRoute({
  method: 'POST',
  path: '/api/v1/alerts/test',
  summary: 'Send a test notification to one channel now (a row of kind test); 502 with the channel\'s error when it fails',
  tag: 'alerts',
  auth: true,
  body: z.strictObject({ channel: z.string().min(1).max(64).describe('a channel name of alerts.channels') }),
  responses: { 200: { description: 'sent', body: z.object({ sent: z.literal(true), notificationId: z.number() }) }, 404: { description: 'no such channel' }, 502: { description: 'the channel refused or did not answer (the reason, without secrets)' } },
  async handler({ body, server, c }) {
    let result;
    try {
      result = await server.notifier.sendTest(body.channel);
    } catch (e) {
      if (e instanceof UnknownChannelError) throw new ApiError(404, 'not-found', e.message, 'channel');
      throw e;
    }
    if (result.status === 'sent') return c.json({ sent: true, notificationId: result.id });
    const reason = 'error' in result ? result.error : 'the test notification was taken by another sender';
    throw new ApiError(502, 'channel-failed', `channel "${body.channel}": ${reason} (notification ${result.id})`);
  },
});
