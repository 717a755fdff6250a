import { getPath } from '../recipes/paths.js';
import type { Recipe, ValueSpec } from '../recipes/types.js';
import type { RecipeLocation } from '../recipes/locate.js';
import type { RunError } from './runs.js';

/** What a person reads about a dead letter: why it died, what to do, and the command when one applies. */
export interface DeadLetterExplanation {
  /** one plain line */
  cause: string;
  /** what to do, in plain words */
  fix: string;
  /** the exact CLI command, when one applies */
  command?: string;
}

export interface ExplainContext {
  /** the recipe version the run used (to name the payload path behind a mapping field) */
  recipe?: Recipe | null;
  /** the recipe's GHL connection: its auth kind chooses how to re-authorize it */
  connection?: { id: string; config: Record<string, unknown> } | null;
  /** where a recipe path is in the recipes folder (see `recipeLocator`) */
  locate?: (recipeId: string, recipePath: string) => RecipeLocation | null;
}

interface DeadRun {
  id: number;
  recipeId: string;
  recipeVersion: number;
  attempts?: number;
  error: RunError | null;
}

/**
 * Turns a dead run's error into a cause, a fix and (when one applies) the command to run.
 *
 * @example
 * explainDeadLetter(run, { recipe, locate: recipeLocator('./recipes') });
 * // { cause: 'actions[1].body had no value: the event has nothing at "data.bio" (recipes/x.yaml line 14)',
 * //   fix: 'Map actions[1].body to a path the event has …, save the recipe as version 2, then replay its dead letters', command: 'ghl-bridge dlq replay --recipe x' }
 */
export function explainDeadLetter(run: DeadRun, ctx: ExplainContext = {}): DeadLetterExplanation {
  const e = run.error;
  if (!e) return { cause: 'no error was recorded for this run', fix: 'Look at its steps with `ghl-bridge runs show`.', command: `ghl-bridge runs show ${run.id}` };
  const replayOne = `ghl-bridge dlq replay ${run.id}`;
  switch (e.code) {
    case 'MAPPING':
      return mapping(run, e, ctx);
    case 'APP':
      return { cause: `the source app action failed: ${oneLine(e.reason)}`, fix: 'Check the app connection and the data the action sent (the reason above), fix it in the app or in the recipe, then replay.', command: replayOne };
    case 'NETWORK':
    case 'SERVER':
    case 'RATE_LIMIT':
      return {
        cause: `HighLevel was unavailable (${e.code}${e.status ? ` ${e.status}` : ''}${run.attempts ? ` after ${run.attempts} attempts` : ''}): ${oneLine(e.reason)}`,
        fix: 'Nothing to change: replay later, once HighLevel answers again.',
        command: replayOne,
      };
  }
  if (e.status === 401 || e.status === 403 || e.code === 'AUTHENTICATION' || e.code === 'FORBIDDEN') return refusedCredentials(run, e, ctx);
  if (e.status === 422 || e.code === 'VALIDATION') return refusedField(run, e);
  if (e.status === 404 || e.code === 'NOT_FOUND') {
    return {
      cause: `HighLevel has no such record (404): ${oneLine(e.reason)}`,
      fix: 'The contact, task or note was probably deleted in GHL (or belongs to another location). If that was on purpose, dismiss this run; otherwise restore it in GHL, then replay.',
      command: `ghl-bridge dlq dismiss ${run.id} --reason "deleted in GHL"`,
    };
  }
  return { cause: oneLine(e.reason), fix: 'Fix what the reason names, then replay.', command: replayOne };
}

function mapping(run: DeadRun, e: RunError, ctx: ExplainContext): DeadLetterExplanation {
  const problems = Array.isArray(e.details) ? (e.details as Array<{ field?: unknown; message?: unknown }>).filter((d) => typeof d.field === 'string') : [];
  const first = problems[0];
  const replay = `ghl-bridge dlq replay --recipe ${run.recipeId}`;
  const next = `save the recipe as version ${run.recipeVersion + 1}, then replay its dead letters (the replay uses the newest version)`;
  if (!first) return { cause: `the recipe could not map the event: ${oneLine(e.reason)}`, fix: `Fix the recipe ${run.recipeId}, ${next}.`, command: replay };
  const field = String(first.field);
  const message = String(first.message ?? '');
  const where = locationText(ctx.locate?.(run.recipeId, field) ?? null, run.recipeVersion);
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more: ${problems.slice(1).map((p) => String(p.field)).join(', ')})` : '';
  const source = ctx.recipe ? sourcePath(ctx.recipe, field) : undefined;
  const missing = /^required|no value/.test(message);
  const cause = missing
    ? `${field} had no value${source ? `: the event has nothing at "${source}"` : ` (${message})`}${where}${more}`
    : `${field}: ${message}${where}${more}`;
  const fix = missing
    ? `Map ${field} to a path the event has (or give it a default), or send it from the app; ${next}.`
    : `Correct ${field} in the recipe (or the data the app sends); ${next}.`;
  return { cause, fix, command: replay };
}

function refusedCredentials(run: DeadRun, e: RunError, ctx: ExplainContext): DeadLetterExplanation {
  const c = ctx.connection;
  const id = c?.id ?? ctx.recipe?.connection ?? '<connection>';
  const cause = `HighLevel refused the credentials of connection ${id} (${e.status ?? e.code}): ${oneLine(e.reason)}`;
  const then = `then \`ghl-bridge dlq replay --error-code ${e.code ?? 'AUTHENTICATION'}\``;
  if (c?.config.auth === 'oauth') {
    return { cause, fix: `Re-authorize connection ${id}: open the link \`ghl-bridge connect ghl\` prints and choose the location again; ${then}.`, command: `ghl-bridge connect ghl --connection ${id}` };
  }
  const locationId = typeof c?.config.locationId === 'string' ? c.config.locationId : '<locationId>';
  return {
    cause,
    fix: `Re-authorize connection ${id}: create a new Private Integration Token in GHL (Settings → Private Integrations) with the contacts scopes, replace the connection with it, ${then}.`,
    command: `ghl-bridge connections remove ${id} && ghl-bridge connections add --app ghl-location --id ${id} --name ${id} --config '{"locationId":"${locationId}","auth":"pit"}' --secret pit=<new token>`,
  };
}

function refusedField(run: DeadRun, e: RunError): DeadLetterExplanation {
  const messages = ghlMessages(e.details);
  const fields = [...new Set(messages.map(fieldOfMessage).filter((f): f is string => f !== null))];
  const what = fields.length > 0 ? `the field${fields.length > 1 ? 's' : ''} ${fields.map((f) => `"${f}"`).join(', ')}` : 'the request';
  return {
    cause: `HighLevel refused ${what} (${e.status ?? 422}): ${oneLine(messages.join('; ') || e.reason)}`,
    fix: `Correct what the recipe ${run.recipeId} writes to ${fields[0] ?? 'that field'} (or the app's data), save the recipe as version ${run.recipeVersion + 1}, then replay.`,
    command: `ghl-bridge dlq replay --recipe ${run.recipeId}`,
  };
}

/** HighLevel's validation sentences: `message` is an array (or one sentence). */
function ghlMessages(body: unknown): string[] {
  const m = (body as { message?: unknown } | null)?.message;
  if (Array.isArray(m)) return m.filter((x): x is string => typeof x === 'string');
  return typeof m === 'string' ? [m] : [];
}

/** `property foo should not exist`, `each value in tags must …`, `email must be an email` → the field. */
function fieldOfMessage(message: string): string | null {
  const m = /^property (\S+) /.exec(message) ?? /^each value in (\S+) /.exec(message) ?? /^([A-Za-z_][\w.[\]]*) (?:must|should|is)\b/.exec(message);
  return m?.[1] ?? null;
}

/** The payload path a mapping field reads (`data.bio`), when the recipe names one. */
function sourcePath(recipe: Recipe, field: string): string | undefined {
  const spec = getPath(recipe, field) as ValueSpec | undefined;
  if (typeof spec === 'string') return spec;
  return typeof spec === 'object' && spec !== null && typeof spec.path === 'string' ? spec.path : undefined;
}

function locationText(at: RecipeLocation | null, runVersion: number): string {
  if (!at) return '';
  const line = at.line !== null ? ` line ${at.line}` : '';
  const newer = at.version !== null && at.version !== runVersion ? `, which now holds version ${at.version}; the run used ${runVersion}` : '';
  return ` (${at.file}${line}${newer})`;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 300);
