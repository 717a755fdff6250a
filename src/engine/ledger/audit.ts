import type { Queryable } from '../db/types.js';
import type { FieldDiff } from '../plan/types.js';

export interface AuditContext {
  locationId: string;
  contactId: string;
  runId: number;
  eventId: number;
  recipeId: string;
  recipeVersion: number;
}

/** Appends one row per changed field, in one statement: which event changed what, from what to what, by which recipe. */
export async function appendAudit(db: Queryable, ctx: AuditContext, diffs: FieldDiff[]): Promise<void> {
  if (diffs.length === 0) return;
  await db.query(
    `insert into audit (location_id, contact_id, run_id, event_id, recipe_id, recipe_version, field, old_value, new_value)
     select $1, $2, $3, $4, $5, $6, d.field, d.old_value::jsonb, d.new_value::jsonb
       from unnest($7::text[], $8::text[], $9::text[]) with ordinality as d(field, old_value, new_value, n)
      order by d.n`,
    [ctx.locationId, ctx.contactId, ctx.runId, ctx.eventId, ctx.recipeId, ctx.recipeVersion, diffs.map((d) => d.field), diffs.map((d) => JSON.stringify(d.from ?? null)), diffs.map((d) => JSON.stringify(d.to ?? null))],
  );
}

export interface AuditRow {
  at: string;
  field: string;
  oldValue: unknown;
  newValue: unknown;
  recipeId: string | null;
  recipeVersion: number | null;
  eventId: number | null;
  runId: number | null;
}

/** The audit trail of one GHL contact, oldest first. */
export async function auditTrail(db: Queryable, contactId: string): Promise<AuditRow[]> {
  const { rows } = await db.query<{ at: Date; field: string; old_value: unknown; new_value: unknown; recipe_id: string | null; recipe_version: number | null; event_id: string | null; run_id: string | null }>(
    'select at, field, old_value, new_value, recipe_id, recipe_version, event_id, run_id from audit where contact_id = $1 order by id',
    [contactId],
  );
  return rows.map((r) => ({ at: new Date(r.at).toISOString(), field: r.field, oldValue: r.old_value, newValue: r.new_value, recipeId: r.recipe_id, recipeVersion: r.recipe_version, eventId: r.event_id === null ? null : Number(r.event_id), runId: r.run_id === null ? null : Number(r.run_id) }));
}
