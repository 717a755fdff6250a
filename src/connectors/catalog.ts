import { z } from 'zod';
import type { AnyConnector, JsonSchema, TriggerSample } from './types.js';

/** One trigger or action of the operations catalog. */
export interface CatalogEntry {
  /** `<app>.<name>` */
  id: string;
  title: string;
  kind: 'trigger' | 'action';
  /** webhook, poll or schedule for triggers; action for actions */
  type: 'webhook' | 'poll' | 'schedule' | 'action';
  app: string;
  /** what it listens on or calls, e.g. `GET /c/{company_id}/candidates` */
  endpoint: string;
  scope: string | null;
  /** engine event types a trigger emits */
  events?: string[];
  /** repeating it after an ambiguous failure is safe (actions) */
  idempotent?: boolean;
  input: JsonSchema | null;
  /** triggers: the event payload's schema (the same as `payload`); actions: the result's */
  output: JsonSchema;
  /** triggers: the JSON Schema of the event payload a recipe sees */
  payload?: JsonSchema;
  /** triggers: a realistic event (the first of `samples`), made by the connector's own normalisation */
  sample?: TriggerSample | null;
  /** triggers: one sample per event type it can show (`recipes dry-run --sample --type T` picks one) */
  samples?: TriggerSample[];
  /** actions: an input its strict schema accepts */
  example?: unknown;
}

/**
 * Every trigger and action of the given connectors, sorted by app and id, with input and output
 * JSON Schemas (actions' inputs come from their strict zod schemas), triggers' samples and
 * actions' examples (from each connector's `samples`).
 *
 * @example
 * const catalog = buildCatalog(ALL_CONNECTORS);
 * catalog.find((e) => e.id === 'recruitee.candidate.created')?.sample; // { type: 'candidate.created', payload: { candidate: … } }
 */
export function buildCatalog(connectors: readonly AnyConnector[]): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const c of connectors) {
    for (const t of c.triggers) {
      const samples = c.samples?.triggers[t.id]?.() ?? [];
      entries.push({
        id: t.id, title: t.title, kind: 'trigger', type: t.kind, app: c.app, endpoint: t.endpoint, scope: t.scope ?? null, events: t.events,
        input: null, output: t.output, payload: t.output, sample: samples[0] ?? null, samples,
      });
    }
    for (const a of c.actions) {
      const example = c.samples?.actions[a.id];
      entries.push({
        id: a.id, title: a.title, kind: 'action', type: 'action', app: c.app, endpoint: a.endpoint, scope: a.scope ?? null, idempotent: a.idempotent,
        input: z.toJSONSchema(a.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema, output: a.output,
        ...(example !== undefined ? { example } : {}),
      });
    }
  }
  return entries.sort((x, y) => x.app.localeCompare(y.app) || x.kind.localeCompare(y.kind) || x.id.localeCompare(y.id));
}

/**
 * The catalog trigger that feeds a recipe's trigger: a source named after an app is that app's
 * connector, any other name a "your app" webhook connection (app `webhook`); among that app's
 * triggers, the one with a sample of `type` (of several: whose main event it is, a webhook, the
 * most samples), else the
 * first whose events include `type` (or `*`), else null.
 *
 * @example
 * feedingTrigger(catalog, 'recruitee', 'candidate.stage_changed')?.id; // 'recruitee.candidate.stageChanged'
 */
export function feedingTrigger(catalog: readonly CatalogEntry[], source: string, type: string): CatalogEntry | null {
  const app = sourceApp(catalog, source);
  const triggers = catalog.filter((e) => e.kind === 'trigger' && e.app === app);
  // a trigger with a sample of exactly this type; of several, one whose first sample it is (its
  // main event), then a webhook before a poll that also emits it, then the one showing the most
  // event types (the default scheme's webhook before other schemes' one sign-up)
  const rank = (e: CatalogEntry) => (e.samples?.[0]?.type === type ? 1000 : 0) + (e.type === 'webhook' ? 100 : 0) + (e.samples?.length ?? 0);
  const shown = triggers.filter((e) => e.samples?.some((s) => s.type === type));
  const best = shown.reduce<CatalogEntry | null>((b, e) => (!b || rank(e) > rank(b) ? e : b), null);
  return best ?? triggers.find((e) => e.events?.includes(type) || e.events?.includes('*')) ?? null;
}

/**
 * The app whose connector emits a source's events: the app of that name, else `webhook` (a "your
 * app" connection names its own source, e.g. `my-app`).
 *
 * @example
 * sourceApp(catalog, 'my-app'); // 'webhook'
 */
export function sourceApp(catalog: readonly CatalogEntry[], source: string): string {
  return catalog.some((e) => e.app === source) ? source : 'webhook';
}

/**
 * The sample of `type` a trigger shows, else null.
 *
 * @example
 * sampleOf(entry, 'candidate.requalified')?.payload;
 */
export function sampleOf(entry: CatalogEntry, type: string): TriggerSample | null {
  return entry.samples?.find((s) => s.type === type) ?? null;
}
