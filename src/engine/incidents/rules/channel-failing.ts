import type { Rule } from '../types.js';
import { oneLine } from '../text.js';

/**
 * A notification channel that fails: its latest delivered-or-given-up notification is 'failed'
 * (the sender gave up after its attempts). It resolves once a later one is sent. Its incident is
 * told only to the OTHER channels that are not failing themselves, never to the failing one, so
 * alerts about alerts cannot loop.
 */
export const channelFailingRule: Rule = {
  name: 'channelFailing',
  async find({ q }) {
    const { rows } = await q.query<{ channel: string; failed: string; first: string; latest: string; last_error: string | null }>(
      `with latest as (select distinct on (channel) channel, id, status, last_error from notifications where status in ('sent', 'failed') order by channel, id desc)
       select l.channel, l.last_error,
              (select count(*) from notifications n where n.channel = l.channel and n.status = 'failed'
                 and n.id > coalesce((select max(s.id) from notifications s where s.channel = l.channel and s.status = 'sent'), 0)) as failed,
              (select min(n.id) from notifications n where n.channel = l.channel and n.status = 'failed'
                 and n.id > coalesce((select max(s.id) from notifications s where s.channel = l.channel and s.status = 'sent'), 0)) as first,
              l.id as latest
         from latest l where l.status = 'failed'`,
    );
    const failing = rows.map((r) => r.channel);
    return rows.map((r) => ({
      key: r.channel,
      cause: oneLine(`alert channel "${r.channel}" fails: ${Number(r.failed)} notification(s) given up${r.last_error ? `, the last with: ${r.last_error}` : ''}`),
      advice: `check alerts.channels.${r.channel} in ghl-bridge.yaml and the secrets it names in the environment; incidents go on being listed (\`ghl-bridge incidents list\`) meanwhile`,
      count: Number(r.failed),
      details: { channel: r.channel, firstNotificationId: Number(r.first), latestNotificationId: Number(r.latest) },
      excludeChannels: failing,
    }));
  },
};
