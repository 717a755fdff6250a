import type { paths } from '../../api/client.ts';

export type SearchAnswer = paths['/api/v1/contacts/search']['get']['responses'][200]['content']['application/json'];
export type ContactMatch = SearchAnswer['items'][number];
export type ContactView = paths['/api/v1/contacts/{ghlId}/view']['get']['responses'][200]['content']['application/json'];
export type AuditPage = paths['/api/v1/contacts/{ghlId}/audit']['get']['responses'][200]['content']['application/json'];
export type AuditEntry = AuditPage['items'][number];
