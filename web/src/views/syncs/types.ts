import type { ResponseOf } from '../../api/types.ts';

export type SyncList = ResponseOf<'/api/v1/syncs', 'get'>;
export type SyncDetail = ResponseOf<'/api/v1/syncs/{id}', 'get'>;

/** What `POST /recipes/{id}/dry-run-backfill` answers. */
export type BackfillDryRun = ResponseOf<'/api/v1/recipes/{id}/dry-run-backfill', 'post'>;
