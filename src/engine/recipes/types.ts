/**
 * The shape of a recipe (trigger → filter → mapping → actions) and of its evaluation for one
 * event. `schema.ts` validates recipes against these types; the planner consumes
 * `RecipeEvaluation` and never sees the mapping language.
 */
import type { DeferredValue } from './step-refs.js';
import type { SkipReason } from './skip.js';


/** Where a value comes from, and how it is transformed (the mapping language; see schema.ts). */
export type ValueSpec =
  | string // shorthand: a path into the event payload, e.g. "candidate.emails[0]"
  | {
      path?: string;
      template?: string;
      value?: unknown;
      /** the event's time (`true`), or an offset from it: `+2d`, `-3h`, `+30m`, `+1w`, `+2bd` (business days) */
      now?: true | string;
      /** with `now`: the start of the hour, day or week (Monday) in `timeZone` */
      startOf?: 'hour' | 'day' | 'week';
      /** with `now`: this clock time (`HH:MM`, 24 h) in `timeZone` */
      at?: string;
      /** with `now`: the IANA zone of `startOf`, `at` and day offsets (default UTC) */
      timeZone?: string;
      transforms?: Transform[];
      default?: unknown;
      /** only when this condition holds (else the field is left out) */
      when?: Condition;
    };

export type Transform =
  | 'trim' | 'lowercase' | 'uppercase' | 'titleCase' | 'email' | 'firstName' | 'lastName' | 'string' | 'number' | 'boolean'
  | { phone: { defaultCountry?: string } }
  | { date: { format?: 'iso' | 'date'; add?: string; startOf?: 'hour' | 'day' | 'week'; at?: string; timeZone?: string } }
  | { map: Record<string, unknown>; fallback?: unknown }
  | { split: string }
  | { join: string };

export type Condition =
  | { path: string; exists: boolean }
  | { path: string; equals: unknown }
  | { path: string; in: unknown[] }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export type ContactField =
  | 'firstName' | 'lastName' | 'name' | 'email' | 'phone' | 'companyName' | 'address1' | 'city' | 'state' | 'postalCode'
  | 'country' | 'website' | 'timezone' | 'source' | 'dateOfBirth' | 'assignedTo' | 'dnd';

/** Every action may have `when` (planned only when it holds); task, note and app actions an `id` naming their output (`steps.<id>`). */
export type ActionSpec = ActionBody & { when?: Condition };

type ActionBody =
  /** Create or update the GHL contact of the event's source record (ledger, then duplicate lookup). */
  | { type: 'upsertContact' }
  /** Tags as add/remove diffs, never a full overwrite. `managed`: tags this recipe owns (removed when no longer mapped). */
  | { type: 'tags'; add?: ValueSpec; remove?: ValueSpec; managed?: string[] }
  /** A GHL task matched through the ledger by a source id: created once, updated in place. */
  | { type: 'task'; id?: string; sourceId: ValueSpec; title: ValueSpec; body?: ValueSpec; dueDate: ValueSpec; completed?: ValueSpec; assignedTo?: ValueSpec }
  | { type: 'note'; id?: string; sourceId: ValueSpec; body: ValueSpec; userId?: ValueSpec }
  | { type: 'completeTask'; sourceId: ValueSpec; completed?: ValueSpec }
  /** The source record was deleted: delete the contact, or keep it and tag it. */
  | { type: 'deleteContact'; policy: 'delete' | 'tag'; tag?: string }
  /**
   * An action on a source app (an operations-catalog id such as `recruitee.addNote`), journaled
   * like a GHL call. `contactView`: the GHL contact's 360° view is read and passed as `input.contactView`.
   */
  | { type: 'app'; id?: string; connection: string; action: string; input?: Record<string, ValueSpec>; contactView?: boolean };

export interface Recipe {
  id: string;
  version: number;
  name?: string;
  description?: string;
  enabled?: boolean;
  trigger: {
    /** Event source, e.g. `recruitee`, `connecteam`, `webhook:my-app`, `ghl`, `schedule`. */
    source: string;
    /** Event types this recipe handles (empty or absent: all of the source). */
    events?: string[];
    /** Cron for scheduled triggers. */
    schedule?: string;
  };
  /** GHL connection (a location) the actions write to. */
  connection: string;
  /** Path of the source record id in the payload (the ledger key). */
  recordId: string;
  filter?: Condition;
  /** GHL contact fields, custom fields by key. */
  mapping: {
    contact: Partial<Record<ContactField, ValueSpec>> & { customFields?: Record<string, ValueSpec>; tags?: ValueSpec };
  };
  actions: ActionSpec[];
  /** Overrides of the `alerts:` config for this recipe's incidents. */
  alerts?: RecipeAlerts;
}

/** A recipe's own alert settings: channels, and the failure-rate and auto-pause thresholds. */
export interface RecipeAlerts {
  channels?: string[];
  failureRate?: { enabled?: boolean; threshold?: number; windowMinutes?: number; minRuns?: number };
  autoPause?: { enabled?: boolean; failureRatio?: number; minRuns?: number };
}

/** A mapping problem for one run: which field, why (no crash, a per-run error). */
export interface MappingError {
  field: string;
  message: string;
}

/**
 * An action with every value resolved for one event. `deferred`: values that read step outputs
 * (their fields hold a placeholder until the plan or apply fills them); `id`: the step's name.
 */
export type ResolvedAction = ResolvedBody & { id?: string; deferred?: DeferredValue[] };

type ResolvedBody =
  | { type: 'upsertContact' }
  | { type: 'tags'; add: string[]; remove: string[]; managed: string[] }
  | { type: 'task'; sourceId: string; fields: { title: string; body?: string; dueDate: string; completed?: boolean; assignedTo?: string } }
  | { type: 'note'; sourceId: string; fields: { body: string; userId?: string } }
  | { type: 'completeTask'; sourceId: string; completed: boolean }
  | { type: 'deleteContact'; policy: 'delete' | 'tag'; tag: string }
  | { type: 'app'; connection: string; action: string; input: Record<string, unknown>; contactView: boolean };

/** What a recipe makes of one event payload. */
export interface RecipeEvaluation {
  /** false when the trigger's event type or the filter excludes the event */
  matched: boolean;
  recordId: string | null;
  /** GHL contact fields (customFields as `[{ key, field_value }]`, tags as string[]) */
  contact: Record<string, unknown>;
  actions: ResolvedAction[];
  errors: MappingError[];
  /** actions left out because their `when` does not hold, and which condition failed */
  skipped?: Array<{ action: string; reason: string }>;
  /** why it does not match (only when `matched` is false): the event type, or the filter's false condition */
  skip?: SkipReason;
}
