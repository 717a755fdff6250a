import type { Database } from '../db/types.js';
import { selectionSql, type DeadLetterSelection } from './selection.js';

/**
 * Dismisses dead letters: they keep their row and error, with status 'dismissed' and the reason
 * (required: whoever looks later must know why), and are never run or replayed again (the claim
 * takes only queued runs, a replay only dead ones). Recorded in `run_history` ('dismissed', { reason }).
 *
 * @example
 * await dismissDeadLetters(db, { runIds: [42] }, 'the contact was deleted in GHL on purpose', 'admin-api'); // [42]
 */
export async function dismissDeadLetters(db: Database, selection: DeadLetterSelection, reason: string, actor?: string): Promise<number[]> {
  if (reason.trim() === '') throw new Error('reason: say why the dead letter is dismissed');
  const { where, params } = selectionSql(selection, 3);
  const { rows } = await db.query<{ id: string }>(
    `with dismissed as (
       update runs r set status = 'dismissed', dismissed_reason = $1, claimed_by = null
        where r.status = 'dead' and ${where}
        returning r.id
     ), logged as (
       insert into run_history (run_id, action, detail, actor)
       select d.id, 'dismissed', jsonb_build_object('reason', $1::text), $2 from dismissed d
     )
     select id from dismissed order by id`,
    [reason, actor ?? null, ...params],
  );
  return rows.map((r) => Number(r.id));
}
