/** The filters the dead-letter routes share (list, replay, dismiss) and their translation. */
import { z } from 'zod';
import type { DeadLetterSelection } from '../../../engine/index.js';
import { ApiError } from '../../http/errors.js';
import { idText } from './shared.js';

export const deadLetterFilters = {
  recipe: idText.optional().describe('only dead letters of this recipe id'),
  errorCode: z.string().regex(/^[A-Z][A-Z_]{0,39}$/, 'expected an error code such as MAPPING, VALIDATION, AUTHENTICATION, SERVER, APP').optional().describe("runs.error.code"),
  since: z.iso.datetime({ offset: true }).optional().describe('dead-lettered at or after this time (ISO 8601)'),
};

/** Body of the bulk replay and dismiss: the filters, or `all: true` for every dead letter. */
export const selectionBody = { ...deadLetterFilters, all: z.literal(true).optional().describe('every dead letter (the filters still narrow it)') };

/** Who acted, as `run_history.actor` records it: the admin API has one token, so one actor. */
export const API_ACTOR = 'admin-api';

/**
 * The body's selection; an empty one without `all: true` is a 400 naming `all`, so a forgotten
 * filter never replays or dismisses every dead letter.
 *
 * @example
 * const selection = selectionOf(body); // { recipeId: 'app-signup' }
 */
export function selectionOf(body: { recipe?: string; errorCode?: string; since?: string; all?: true }): DeadLetterSelection {
  const selection: DeadLetterSelection = {
    ...(body.recipe !== undefined ? { recipeId: body.recipe } : {}),
    ...(body.errorCode !== undefined ? { errorCode: body.errorCode } : {}),
    ...(body.since !== undefined ? { since: body.since } : {}),
    ...(body.all ? { all: true } : {}),
  };
  if (Object.keys(selection).length === 0) throw new ApiError(400, 'invalid-input', 'body.all: give a filter (recipe, errorCode, since) or all: true to act on every dead letter', 'all');
  return selection;
}
