import type { paths } from '../../api/client.ts';

export type ConnectorList = paths['/api/v1/connectors']['get']['responses'][200]['content']['application/json'];
export type ConnectorSchema = ConnectorList['items'][number];
export type ConnectionList = paths['/api/v1/connections']['get']['responses'][200]['content']['application/json'];
export type Connection = ConnectionList['items'][number];
export type TestResult = paths['/api/v1/connections/{id}/test']['post']['responses'][200]['content']['application/json'];
export type CreateBody = paths['/api/v1/connections']['post']['requestBody']['content']['application/json'];
