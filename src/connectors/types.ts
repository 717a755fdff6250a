/**
 * The shape every connector has (Recruitee, Connecteam, your app, ERP, GHL itself): its connection
 * fields, its triggers (webhooks, polls, schedules) and its actions, each described for the
 * operations catalog with id, title, endpoint, scope and JSON Schemas. The runtime
 * (`runtime/`) turns triggers into engine events; the engine runs actions through `AppActions`.
 */
import type { z } from 'zod';
import type { Headers, Verification } from './webhooks/index.js';

export type JsonSchema = Record<string, unknown>;

/** A stored connection as a connector sees it: settings, opened secrets, and its event source name. */
export interface ConnectorConnection {
  id: string;
  app: string;
  /** The engine's event source for this connection's events (default: the app id). */
  source: string;
  config: Record<string, unknown>;
  secrets: Readonly<Record<string, string>>;
}

/** One event for the engine; `externalId` is the dedupe key within the source. */
export interface SourceEvent {
  externalId: string;
  type: string;
  payload: Record<string, unknown>;
}

/** A delivery whose body or envelope is unusable: answered 400 with the field and reason. */
export class WebhookPayloadError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'WebhookPayloadError';
  }
}

export interface WebhookDelivery {
  rawBody: Buffer;
  headers: Headers;
  /** ms since epoch (tests pass a fixed one) */
  now: number;
}

/** What the runtime lends a webhook parser: the ledger's view of GHL ids (GHL as a source). */
export interface WebhookContext {
  /** Source records linked to a GHL contact id: `{ [source]: sourceId }`. */
  links(ghlContactId: string): Promise<Record<string, string>>;
  /** Source records linked to a GHL task or note: `{ [source]: sourceId }`. */
  recordLinks(kind: 'task' | 'note', ghlId: string): Promise<Record<string, string>>;
  /**
   * Compares a GHL contact as a webhook shows it with what the engine wrote to it. An echo of our
   * own write answers `true` (drop it: loop prevention); otherwise `false`, and once the events
   * are stored the ledger learns the new values, so the forward recipe does not write them back.
   */
  observeContact(contact: Record<string, unknown>): Promise<boolean>;
  /** The same for a GHL task or note state, e.g. `{ completed: true }` from a TaskComplete webhook. */
  observeRecord(kind: 'task' | 'note', ghlId: string, shown: Record<string, unknown>): Promise<boolean>;
}

/** A ledger view that knows nothing (no links, no echoes): for parsing outside the runtime, and tests. */
export const NO_LEDGER: WebhookContext = {
  links: async () => ({}),
  recordLinks: async () => ({}),
  observeContact: async () => false,
  observeRecord: async () => false,
};

export interface WebhookSpec<C> {
  /** Signature, timestamp window: fails closed with a reason. */
  verify(conn: C, delivery: WebhookDelivery): Verification | Promise<Verification>;
  /** A test probe (Recruitee's `{"test":true}`): answered 200, never enqueued. Checked before `verify`. */
  isProbe?(body: unknown): boolean;
  /** The verified body as engine events (none: acknowledged and ignored). Throws `WebhookPayloadError`. */
  parse(conn: C, body: unknown, delivery: WebhookDelivery & { verification: Extract<Verification, { ok: true }> }, ctx: WebhookContext): SourceEvent[] | Promise<SourceEvent[]>;
  /** The status the sender counts as success (Recruitee: exactly 200). Default 200. */
  successStatus?: number;
}

export interface PollInput<C> {
  conn: C;
  /** The durable cursor of this trigger and connection; null on the first poll. */
  cursor: unknown;
  now: number;
  signal?: AbortSignal;
  /** The same ledger view webhook parsers get (GHL reconciliation: links and echo filtering). */
  context?: WebhookContext;
}

/** One page of a poll: events, the cursor to store after they are ingested, and whether more pages follow. */
export interface PollPage {
  events: SourceEvent[];
  cursor: unknown;
  more: boolean;
}

export type Poller<C> = (input: PollInput<C>) => Promise<PollPage>;

export interface TriggerDef<C = unknown> {
  /** Catalog id, `<app>.<name>`, e.g. `recruitee.candidate.created`. */
  id: string;
  title: string;
  kind: 'webhook' | 'poll' | 'schedule';
  /** Event types it feeds the engine (a recipe's `trigger.events`). */
  events: string[];
  /** What it listens on or calls, e.g. `POST /hooks/{connectionId}` or `GET /c/{company_id}/candidates`. */
  endpoint: string;
  scope?: string;
  /** The event payload's JSON Schema. */
  output: JsonSchema;
  /** Polling triggers: one page per call. */
  poll?: Poller<C>;
}

export interface ActionContext<C> {
  conn: C;
  signal?: AbortSignal;
  /** Stable across retries of one run step, unique per step (`run:<id>:step:<n>`): an id the app can dedupe on. */
  idempotencyKey?: string;
}

export interface ActionDef<C = unknown, In = unknown, Out = unknown> {
  /** Catalog id, `<app>.<name>`, e.g. `recruitee.addNote`. */
  id: string;
  title: string;
  /** e.g. `POST /c/{company_id}/candidates/{id}/notes` */
  endpoint: string;
  scope?: string;
  /** Safe to repeat after an ambiguous failure (updates, deletes, reads). */
  idempotent: boolean;
  /** Strict input schema (also the catalog's JSON Schema). */
  input: z.ZodType<In>;
  output: JsonSchema;
  run(ctx: ActionContext<C>, input: In): Promise<Out>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- existential types: actions of any input, connectors of any connection in one list */
/** An action of a connector whose inputs differ per action. */
export type AnyActionOf<C> = ActionDef<C, any, any>;
/** A connector of any connection type (registries, catalogs). */
export type AnyConnector = Connector<any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** A realistic event of a trigger, as a recipe sees it: `recipes dry-run --payload` takes `payload`. */
export interface TriggerSample {
  /** the engine event type */
  type: string;
  payload: Record<string, unknown>;
}

/**
 * A connector's samples for the catalog: per trigger id, its events built by the connector's own
 * normalisation from data shaped like its fake's (lazy: built when a catalog is); per action id, an
 * input its strict schema accepts.
 */
export interface ConnectorSamples {
  triggers: Readonly<Record<string, () => TriggerSample[]>>;
  actions: Readonly<Record<string, unknown>>;
}

export interface Connector<C = unknown> {
  /** App id, also the default event source: `recruitee`, `connecteam`, `webhook`, `erp`, `ghl`. */
  app: string;
  title: string;
  /** Reads a stored connection into the connector's typed connection (throws with the field). */
  connection(stored: ConnectorConnection): C;
  triggers: TriggerDef<C>[];
  actions: AnyActionOf<C>[];
  webhook?: WebhookSpec<C>;
  /** Samples of its triggers' events and examples of its actions' inputs (catalog, `ops show`). */
  samples?: ConnectorSamples;
  /** Every record the app holds, as events (full sync, recipe 10). */
  listAll?(conn: C, options: { signal?: AbortSignal }): AsyncIterable<SourceEvent>;
}

/**
 * Declares a connector with its types checked.
 *
 * @example
 * export const myApp = defineConnector({ app: 'my-app', title: 'My app', connection: (s) => s, triggers: [], actions: [] });
 */
export function defineConnector<C>(connector: Connector<C>): Connector<C> {
  return connector;
}
