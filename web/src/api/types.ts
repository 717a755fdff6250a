import type { paths } from './schema.d.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Success = 200 | 201;

/**
 * The JSON body of a route's success answer (its 200, or its 201), as generated from the server's
 * response schema.
 *
 * @example
 * type SyncDetail = ResponseOf<'/api/v1/syncs/{id}', 'get'>;
 * type ConnectLink = ResponseOf<'/api/v1/connect/ghl', 'post'>; // its 201
 */
export type ResponseOf<P extends keyof paths, M extends Method & keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? { [S in Success & keyof R]: R[S] extends { content: { 'application/json': infer B } } ? B : never }[Success & keyof R]
  : never;

/** The JSON body a route takes. @example type CreateBody = RequestBodyOf<'/api/v1/connections', 'post'>; */
export type RequestBodyOf<P extends keyof paths, M extends Method & keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
