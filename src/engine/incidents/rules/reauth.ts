import type { Finding, Rule } from '../types.js';
import { oneLine } from '../text.js';

/**
 * A connection whose credentials were refused (a `connection_health` row 'needs-reauth', written
 * by the workers): its runs wait. One incident per connection; it resolves when the row is gone
 * (re-authorized).
 */
export const reauthRule: Rule = {
  name: 'reauth',
  async find({ q }) {
    const { rows } = await q.query<{ connection_id: string; reason: string; failures: number; location_id: string | null; app: string | null; since: Date | string }>(
      `select h.connection_id, h.reason, h.failures, h.since, c.config->>'locationId' as location_id, c.app
         from connection_health h left join connections c on c.id = h.connection_id
        where h.status = 'needs-reauth' order by h.connection_id`,
    );
    return rows.map((r): Finding => ({
      key: r.connection_id,
      connectionId: r.connection_id,
      locationId: r.location_id,
      cause: oneLine(`connection ${r.connection_id} needs re-authorization: ${r.reason}`),
      advice: r.app === 'ghl' || r.app === null
        ? `re-authorize it: \`ghl-bridge connect ghl --connection ${r.connection_id}\` (OAuth), or save a new Private Integration Token for it; its runs wait and go on by themselves once it works`
        : `save new credentials for connection ${r.connection_id} (\`ghl-bridge connections\`); its runs wait and go on by themselves once it works`,
      count: r.failures,
      details: { since: new Date(r.since).toISOString() },
    }));
  },
};
