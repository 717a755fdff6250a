import type { paths } from '../../api/client.ts';

export type SyncList = paths['/api/v1/syncs']['get']['responses'][200]['content']['application/json'];
export type SyncDetail = paths['/api/v1/syncs/{id}']['get']['responses'][200]['content']['application/json'];

/** What `POST /recipes/{id}/dry-run-backfill` answers (its route declares no body schema yet). */
export interface BackfillDryRun {
  recipeId: string;
  version: number;
  connection: string;
  listed: number;
  considered: number;
  truncated: boolean;
  summary: { create: number; update: number; unchanged: number; skipped: number; errors: number };
  items: Array<{ recordId: string; outcome: string; calls: Array<{ operationId: string; method: string; path: string; diff: Array<{ field: string; from: unknown; to: unknown }> }>; errors?: Array<{ field: string; message: string }> }>;
}
