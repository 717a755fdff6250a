import type { HttpMethod } from '../../ghl/core/types.js';
import type { DeferredValue } from '../recipes/step-refs.js';

/** One field that a call changes: from what we last wrote to what the event maps. */
export interface FieldDiff {
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * One GHL call of a plan, exactly as apply will send it. `{contactId}` in `path` is filled with
 * the contact id the plan knows (ledger) or the one an earlier step of the same run obtained.
 */
export interface PlannedCall {
  step: number;
  /** the recipe action it serves, e.g. `upsertContact`, `tags`, `task:42` */
  action: string;
  operationId: string;
  method: HttpMethod;
  path: string;
  body?: Record<string, unknown>;
  /** false for creates that must not be repeated blindly (tasks, notes) */
  idempotent: boolean;
  diff: FieldDiff[];
  /** what the call produces for the ledger: the GHL id of the contact, task or note */
  produces?: { kind: 'contact' | 'task' | 'note'; sourceId: string };
  /** why it is in the plan, for people */
  reason: string;
  /** A contact write that leaves part of the mapped contact unwritten (a later step, or nothing, writes the rest): the ledger keeps no "unchanged" hash after it. */
  partial?: boolean;
  /** Set when the call goes to a source app (a catalog action), not to GHL: `operationId` is the action id. */
  app?: { connection: string; contactView: boolean };
  /** the step name whose output this call gives (`contact`, or an action's `id`) */
  output?: string;
  /** body fields that read step outputs not known at plan time: their placeholder is replaced just before the call */
  deferred?: DeferredValue[];
}

export interface SkippedAction {
  action: string;
  reason: string;
}

/** What one event will do in GHL: the exact calls, their field diffs, and what is skipped. */
export interface Plan {
  recordId: string;
  locationId: string;
  /** the GHL contact the ledger knows for this record, if any */
  contactId: string | null;
  calls: PlannedCall[];
  skipped: SkippedAction[];
  /** step outputs known when planning (from the ledger), by step name: apply starts from them */
  steps?: Record<string, unknown>;
}

/** What the planner knows from the ledger (fields last written, per kind and source id). */
export interface LedgerEntry {
  kind: 'contact' | 'task' | 'note';
  sourceId: string;
  ghlId: string;
  fieldsHash: string | null;
  fields: Record<string, unknown> | null;
}
