import type { ResponseOf } from '../../api/types.ts';

export type IncidentList = ResponseOf<'/api/v1/incidents', 'get'>;
export type Incident = IncidentList['items'][number];
export type IncidentDetail = ResponseOf<'/api/v1/incidents/{id}', 'get'>;
export type Channel = ResponseOf<'/api/v1/alerts/channels', 'get'>['items'][number];
