import { MIGRATIONS } from '../../../engine/db/migrate.js';
import { defineRoute } from '../contract.js';

export default defineRoute({
  method: 'GET',
  path: '/readyz',
  summary: 'Readiness: the database answers and every migration is applied',
  tag: 'ops',
  auth: false,
  responses: { 200: { description: '{ ready: true, database, migrations }' }, 503: { description: '{ ready: false, reason }' } },
  async handler({ c, server, log }) {
    let applied: number[];
    try {
      const { rows } = await server.bridge.db.query<{ version: number }>('select version from schema_migrations order by version');
      applied = rows.map((r) => r.version);
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'readiness: database not reachable');
      return c.json({ ready: false, database: 'unreachable', reason: 'the database does not answer' }, 503);
    }
    const missing = MIGRATIONS.map((m) => m.version).filter((v) => !applied.includes(v));
    const migrations = { applied: applied.length, expected: MIGRATIONS.length, missing };
    if (missing.length > 0) return c.json({ ready: false, database: 'ok', migrations, reason: `migrations not applied: ${missing.join(', ')}` }, 503);
    return c.json({ ready: true, database: 'ok', migrations });
  },
});
