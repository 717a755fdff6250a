/**
 * Inbound webhook signature verification shared by the connectors ("your app", Recruitee, …).
 *
 * @example
 * import { SCHEMES, verifyHmac } from './connectors/webhooks/index.js';
 * const r = verifyHmac(SCHEMES.standardWebhooks, secret, { rawBody, headers });
 */
export { SCHEMES, verifyHmac, type HmacScheme, type Headers, type Rejection, type Verification } from './verify.js';
