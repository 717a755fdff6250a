/**
 * The runs queue: the `runs` table itself, claimed with `for update skip locked` (many workers, one
 * process or many), woken by an in-process signal and, on a server, `LISTEN`/`NOTIFY`.
 */
export { claimRuns, finishRun, requeueRun, renewClaims, reapLapsedClaims, nextDueAt, getRun, listRuns, runSteps, WORKER_ID, CLAIM_LEASE_SECONDS, RUNS_CHANNEL, type ClaimedRun, type RunRow, type RunStatus, type RunError, type RunEvent, type StepRow } from './runs.js';
export { startWorker, WORKER_DEFAULTS, type RunWorker, type WorkerOptions } from './worker.js';
export { replayDeadLetters, openRunCount, type ReplayOptions, type ReplayedRun } from './replay.js';
export { dismissDeadLetters } from './dismiss.js';
export { runHistory, type RunHistoryEntry } from './history.js';
export { explainDeadLetter, type DeadLetterExplanation, type ExplainContext } from './explain.js';
export { selectionSql, EmptySelectionError, type DeadLetterSelection } from './selection.js';
export { Reschedule } from './reschedule.js';
export { Signal } from './signal.js';
