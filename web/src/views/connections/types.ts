import type { RequestBodyOf, ResponseOf } from '../../api/types.ts';

export type ConnectorList = ResponseOf<'/api/v1/connectors', 'get'>;
export type ConnectorSchema = ConnectorList['items'][number];
export type ConnectionList = ResponseOf<'/api/v1/connections', 'get'>;
export type Connection = ConnectionList['items'][number];
export type TestResult = ResponseOf<'/api/v1/connections/{id}/test', 'post'>;
export type CreateBody = RequestBodyOf<'/api/v1/connections', 'post'>;
