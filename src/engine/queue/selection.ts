/**
 * Which dead letters a replay or a dismissal acts on: given run ids, a filter (recipe, error
 * code, dead since), or every one. An empty selection is refused unless it says `all`, so a
 * forgotten filter never acts on every dead letter by accident.
 */
export interface DeadLetterSelection {
  runIds?: number[];
  recipeId?: string;
  /** `runs.error->>'code'`: MAPPING, VALIDATION, AUTHENTICATION, SERVER, APP … */
  errorCode?: string;
  /** dead-lettered at or after (ISO 8601 or a Date) */
  since?: string | Date;
  /** every dead letter (the filters above still narrow it when given) */
  all?: boolean;
}

export class EmptySelectionError extends Error {
  readonly field = 'all';
  constructor() {
    super('no run ids and no filter (recipe, errorCode, since): say all: true to act on every dead letter');
    this.name = 'EmptySelectionError';
  }
}

/**
 * The selection as SQL on `runs r` with parameters from `$first` on: `where` goes after `where`.
 *
 * @example
 * const { where, params } = selectionSql({ recipeId: 'app-signup' }, 1);
 * await db.query(`select id from runs r where r.status = 'dead' and ${where}`, params);
 */
export function selectionSql(s: DeadLetterSelection, first: number): { where: string; params: unknown[] } {
  const hasFilter = s.runIds !== undefined || s.recipeId !== undefined || s.errorCode !== undefined || s.since !== undefined;
  if (!hasFilter && !s.all) throw new EmptySelectionError();
  const n = (i: number) => `$${first + i}`;
  return {
    where: `r.dry_run = false
      and (${n(0)}::bigint[] is null or r.id = any(${n(0)}::bigint[]))
      and (${n(1)}::text is null or r.recipe_id = ${n(1)})
      and (${n(2)}::text is null or r.error->>'code' = ${n(2)})
      and (${n(3)}::timestamptz is null or coalesce(r.finished_at, r.created_at) >= ${n(3)}::timestamptz)`,
    params: [s.runIds ?? null, s.recipeId ?? null, s.errorCode ?? null, s.since === undefined ? null : new Date(s.since).toISOString()],
  };
}
