import type { paths } from '../../api/client.ts';

export type CatalogPage = paths['/api/v1/operations']['get']['responses'][200]['content']['application/json'];
export type CatalogEntry = CatalogPage['items'][number];
