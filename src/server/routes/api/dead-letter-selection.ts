/** The filters the dead-letter routes share (list, replay, dismiss) and their translation. */
import { z } from 'zod';
import type { DeadLetterSelection } from '../../../engine/index.js';
import type { Queryable } from '../../../engine/db/types.js';
import { ApiError } from '../../http/errors.js';
import { deadRunIds } from '../../queries/runs.js';
import { runFilterOf, runSelectionFilters } from './runs-filters.js';

/** The runs list's filters (but status): a bulk action on "every dead letter matching" selects what the list shows. */
export const deadLetterFilters = runSelectionFilters;

/** Body of the bulk replay and dismiss: the filters, or `all: true` for every dead letter. */
export const selectionBody = { ...deadLetterFilters, all: z.literal(true).optional().describe('every dead letter (the filters still narrow it)') };

/** Who acted, as `run_history.actor` records it: the admin API has one token, so one actor. */
export const API_ACTOR = 'admin-api';

type SelectionInput = { recipe?: string; connection?: string; record?: string; contact?: string; email?: string; errorCode?: string; since?: string; until?: string; all?: true };

/**
 * The body's selection; an empty one without `all: true` is a 400 naming `all`, so a forgotten
 * filter never replays or dismisses every dead letter.
 *
 * @example
 * const selection = selectionOf(body); // { recipeId: 'app-signup' }
 */
export function selectionOf(body: SelectionInput): DeadLetterSelection {
  const selection: DeadLetterSelection = {
    ...(body.recipe !== undefined ? { recipeId: body.recipe } : {}),
    ...(body.errorCode !== undefined ? { errorCode: body.errorCode } : {}),
    ...(body.since !== undefined ? { since: body.since } : {}),
    ...(body.all ? { all: true } : {}),
  };
  const more = body.connection !== undefined || body.record !== undefined || body.contact !== undefined || body.email !== undefined || body.until !== undefined;
  if (Object.keys(selection).length === 0 && !more) throw new ApiError(400, 'invalid-input', 'body.all: give a filter (recipe, connection, record, contact, email, errorCode, since, until) or all: true to act on every dead letter', 'all');
  return selection;
}

/**
 * The selection, with the runs list's filters the engine's selection does not know (connection,
 * record, contact, email, until) resolved to the run ids they select through the same query as
 * the list, so "replay all matching" acts on what the list shows.
 */
export async function resolveSelection(db: Queryable, body: SelectionInput): Promise<DeadLetterSelection> {
  const selection = selectionOf(body);
  const more = body.connection !== undefined || body.record !== undefined || body.contact !== undefined || body.email !== undefined || body.until !== undefined;
  if (!more) return selection;
  return { runIds: await deadRunIds(db, runFilterOf(body)) };
}
