import { z } from 'zod';
import type { AnyConnector, JsonSchema } from './types.js';

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
  output: JsonSchema;
}

/**
 * Every trigger and action of the given connectors, sorted by app and id, with input and output
 * JSON Schemas (actions' inputs come from their strict zod schemas).
 *
 * @example
 * const catalog = buildCatalog(ALL_CONNECTORS);
 * catalog.filter((e) => e.app === 'recruitee').map((e) => e.id);
 */
export function buildCatalog(connectors: readonly AnyConnector[]): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const c of connectors) {
    for (const t of c.triggers) {
      entries.push({ id: t.id, title: t.title, kind: 'trigger', type: t.kind, app: c.app, endpoint: t.endpoint, scope: t.scope ?? null, events: t.events, input: null, output: t.output });
    }
    for (const a of c.actions) {
      entries.push({ id: a.id, title: a.title, kind: 'action', type: 'action', app: c.app, endpoint: a.endpoint, scope: a.scope ?? null, idempotent: a.idempotent, input: z.toJSONSchema(a.input, { io: 'input', unrepresentable: 'any' }) as JsonSchema, output: a.output });
    }
  }
  return entries.sort((x, y) => x.app.localeCompare(y.app) || x.kind.localeCompare(y.kind) || x.id.localeCompare(y.id));
}
