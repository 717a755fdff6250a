import type { paths } from '../../api/client.ts';

export type IncidentList = paths['/api/v1/incidents']['get']['responses'][200]['content']['application/json'];
export type Incident = IncidentList['items'][number];
export type IncidentDetail = paths['/api/v1/incidents/{id}']['get']['responses'][200]['content']['application/json'];
export type Channel = paths['/api/v1/alerts/channels']['get']['responses'][200]['content']['application/json']['items'][number];
