import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openPglite } from '../db/index.js';
import type { Database } from '../db/types.js';
import type { ClaimedRun } from '../queue/runs.js';
import { logDeadLetter, oneLineCause } from './dead-letter-log.js';

/** On a real (in-memory) PGlite: the failing step is read from the stored plan and the journal. */
let db: Database;
beforeAll(async () => {
  db = await openPglite();
  await migrate(db);
}, 60_000);
afterAll(async () => {
  await db.close();
});

const call = (step: number, operationId: string) => ({ step, operationId, action: operationId, method: 'POST', path: '/x', idempotent: true, diff: [], reason: 'test' });

async function deadRun(doneSteps: number[], plan: unknown): Promise<ClaimedRun> {
  const { rows: [event] } = await db.query<{ id: string }>(`insert into events (source, external_id, type, payload) values ('app', gen_random_uuid()::text, 'user.created', '{}') returning id`);
  const { rows: [run] } = await db.query<{ id: string }>(`insert into runs (event_id, recipe_id, recipe_version, status, plan) values ($1, 'signup', 3, 'dead', $2) returning id`, [event!.id, plan === null ? null : JSON.stringify(plan)]);
  for (const step of doneSteps) await db.query(`insert into run_steps (run_id, step, action, status, request) values ($1, $2, 'a', 'done', '{}')`, [run!.id, step]);
  return { id: Number(run!.id), recipeId: 'signup', recipeVersion: 3, lane: 'ghl-main' } as ClaimedRun;
}

function capture() {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  return { lines, log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields }) };
}

describe('logDeadLetter', { timeout: 30_000 }, () => {
  it('names the first step not done (not sent steps leave no journal row), with run, recipe, connection, code and cause', async () => {
    const run = await deadRun([1], { calls: [call(1, 'upsert-contact'), call(2, 'create-task'), call(3, 'create-note')] });
    const { lines, log } = capture();
    await logDeadLetter({ db, log }, run, { reason: 'GHL answered 422: assignedTo is not a user\nbody: {…}', code: 'VALIDATION', status: 422, retryable: false });
    expect(lines).toEqual([
      {
        level: 'warn',
        message: `run ${run.id} (recipe signup) dead-lettered: GHL answered 422: assignedTo is not a user`,
        fields: { event: 'run.dead-lettered', runId: run.id, recipeId: 'signup', recipeVersion: 3, connection: 'ghl-main', errorCode: 'VALIDATION', httpStatus: 422, retryable: false, step: 2, operation: 'create-task', cause: 'GHL answered 422: assignedTo is not a user' },
      },
    ]);
  });

  it('has no step when the run died before planning, and still logs when the lookup fails', async () => {
    const run = await deadRun([], null);
    const { lines, log } = capture();
    await logDeadLetter({ db, log }, run, { reason: 'data.email: required', code: 'MAPPING', retryable: false });
    expect(lines[0]!.fields).toMatchObject({ step: null, operation: null, errorCode: 'MAPPING', httpStatus: null });
    // a database closed under the run (shutdown): the lookup fails, the line is still written
    const closed = await openPglite();
    await closed.close();
    await logDeadLetter({ db: closed, log }, run, undefined);
    expect(lines[1]!.fields).toMatchObject({ runId: run.id, step: null, errorCode: 'ERROR', cause: 'unknown' });
  });

  it('caps the cause to one line of 300 characters', () => {
    expect(oneLineCause(`${'x'.repeat(400)}\nsecond`)).toHaveLength(300);
    expect(oneLineCause('  first\r\nsecond')).toBe('first');
  });
});
