import { errorFromResponse } from './errors.js';
import type { GhlRequest, Send } from './types.js';

/** Sends through the layers and returns the parsed body of a 2xx, or throws the typed error. */
export type Call = <T>(request: GhlRequest) => Promise<T>;

export function createCall(send: Send, now: () => number = Date.now): Call {
  return async <T>(request: GhlRequest): Promise<T> => {
    const response = await send(request);
    if (response.status >= 200 && response.status < 300) return response.body as T;
    throw errorFromResponse(response, now());
  };
}
