import type { ResponseOf } from '../../api/types.ts';

export type CatalogPage = ResponseOf<'/api/v1/operations', 'get'>;
export type CatalogEntry = CatalogPage['items'][number];
