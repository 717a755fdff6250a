import type { Finding, Rule } from '../types.js';

/**
 * A connection whose webhook deliveries were refused at least `count` times in the last
 * `windowMinutes`. The refusal log records a few a minute and counts the rest in one `unrecorded`
 * row whose detail starts with how many it stands for; those are counted too, so a flood is not
 * mistaken for a trickle.
 */
export const webhookRejectionsRule: Rule = {
  name: 'webhookRejections',
  async find({ q, alerts, now }) {
    const rule = alerts.rules.webhookRejections;
    const { rows } = await q.query<{ connection_id: string; n: string; reason: string; location_id: string | null }>(
      `select w.connection_id,
              sum(case when w.reason = 'unrecorded' then coalesce(substring(w.detail from '^([0-9]{1,9}) ')::int, 1) else 1 end) as n,
              mode() within group (order by w.reason) filter (where w.reason <> 'unrecorded') as reason,
              min(c.config->>'locationId') as location_id
         from webhook_rejections w left join connections c on c.id = w.connection_id
        where w.at > to_timestamp($1::double precision / 1000) - make_interval(mins => $2::int)
        group by w.connection_id`,
      [now, rule.windowMinutes],
    );
    return rows
      .filter((r) => Number(r.n) >= rule.count)
      .map((r): Finding => ({
        key: r.connection_id,
        connectionId: r.connection_id,
        locationId: r.location_id,
        cause: `${deliveries(Number(r.n))} to connection ${r.connection_id} refused in the last ${rule.windowMinutes} min (mostly ${r.reason ?? 'unrecorded'})`,
        advice: `a rotated signing secret (or webhook public key) is the usual cause: update connection ${r.connection_id} with the sender's current one; the refusals are listed at GET /api/v1/webhook-rejections?connection=${r.connection_id}`,
        count: Number(r.n),
        details: { reason: r.reason, windowMinutes: rule.windowMinutes },
      }));
  },
};

const deliveries = (n: number) => `${n.toLocaleString('en-US')} webhook deliver${n === 1 ? 'y' : 'ies'}`;
