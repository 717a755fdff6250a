import type { Rule } from '../types.js';
import { plural } from '../text.js';

/** How long a reconciliation finding keeps its incident open (the reconciliation may run daily). */
export const RECONCILIATION_WINDOW_HOURS = 24;

/**
 * The GHL reconciliation found contact changes that no webhook delivered. Its findings are the
 * events it stored (`payload.origin` 'reconcile'), so nothing more is recorded for this rule. Only
 * those of LINKED contacts count: for a linked contact, a change a webhook delivered gives no
 * reconciliation event (the ledger learned it then), so each one is surely a missed webhook; for an
 * unlinked contact the reconciliation may repeat a delivered change (see src/connectors/ghl/reconcile.ts),
 * which would be a false alarm. Open while any was found in the last 24 hours.
 */
export const reconciliationRule: Rule = {
  name: 'reconciliation',
  async find({ q, now }) {
    const { rows } = await q.query<{ connection_id: string; n: string; first: string | null; latest: string | null; location_id: string | null; at: Date | string }>(
      `select e.connection_id, count(distinct e.id) as n, min(r.id) as first, max(r.id) as latest, max(e.received_at) as at,
              min(c.config->>'locationId') as location_id
         from events e
         left join runs r on r.event_id = e.id and r.dry_run = false
         left join connections c on c.id = e.connection_id
        where e.payload->>'origin' = 'reconcile' and e.connection_id is not null
          and e.payload->'links' is not null and e.payload->'links' <> '{}'::jsonb
          and e.received_at > to_timestamp($1::double precision / 1000) - make_interval(hours => $2::int)
        group by e.connection_id`,
      [now, RECONCILIATION_WINDOW_HOURS],
    );
    return rows.map((r) => ({
      key: r.connection_id,
      connectionId: r.connection_id,
      locationId: r.location_id,
      cause: `the reconciliation of connection ${r.connection_id} found ${plural(Number(r.n), 'contact change')} that no webhook delivered (last ${RECONCILIATION_WINDOW_HOURS} h)`,
      advice: 'the changes were synced from the reconciliation; if it goes on, check the HighLevel app\'s webhook URL and that this server answers it quickly (see GET /api/v1/webhook-rejections)',
      count: Number(r.n),
      firstRunId: r.first === null ? null : Number(r.first),
      latestRunId: r.latest === null ? null : Number(r.latest),
      details: { lastFoundAt: new Date(r.at).toISOString() },
    }));
  },
};
