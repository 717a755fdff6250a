import type { ResponseOf } from '../../api/types.ts';

export type SearchAnswer = ResponseOf<'/api/v1/contacts/search', 'get'>;
export type ContactMatch = SearchAnswer['items'][number];
export type ContactView = ResponseOf<'/api/v1/contacts/{ghlId}/view', 'get'>;
export type AuditPage = ResponseOf<'/api/v1/contacts/{ghlId}/audit', 'get'>;
export type AuditEntry = AuditPage['items'][number];
