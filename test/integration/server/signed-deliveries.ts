import { createHmac, randomUUID } from 'node:crypto';
import { standardWebhookHeaders } from '../../../src/connectors/webhook/sign.js';
import type { ServerHarness } from './harness.js';

/**
 * One connection per connector with webhooks, and deliveries signed for each exactly as its
 * sender signs them (Standard Webhooks; Recruitee's and Connecteam's HMAC; the sandbox's own
 * Ed25519 key for GHL), so hostile-input tests reach the parsing and storing behind the signature.
 */
export type ConnectorName = 'webhook' | 'recruitee' | 'connecteam' | 'ghl';

export const SECRETS = {
  webhook: 'whsec_aG9zdGlsZS1pbnB1dC1zaWduaW5nLXNlY3JldC0wMQ==',
  recruitee: 'rc-hook-secret',
  connecteam: 'ct-hook-secret',
};

export const PATHS: Record<ConnectorName, string> = { webhook: '/hooks/app-main', recruitee: '/hooks/rc-main', connecteam: '/hooks/ct-main', ghl: '/hooks/ghl-main' };

/** The connections to create (POST /api/v1/connections bodies). */
export function CONNECTIONS(h: ServerHarness) {
  return [
    { id: 'app-main', app: 'webhook', name: 'My app', config: { source: 'my-app' }, secrets: { signingSecret: SECRETS.webhook } },
    // the recipes' GHL location, which also takes GHL's own webhooks (the ghl connector)
    { id: 'ghl-main', app: 'ghl-location', name: 'Location', config: { locationId: h.sb.info.locationId, auth: 'pit', baseUrl: h.sb.url, webhookPublicKey: h.sb.info.webhookPublicKey }, secrets: { pit: h.sb.info.pit } },
    // refetch off: the delivery alone is the event (no Recruitee API runs here)
    { id: 'rc-main', app: 'recruitee', name: 'ATS', config: { companyId: 90001, refetch: false }, secrets: { token: 'rc-token', webhookSecret: SECRETS.recruitee } },
    { id: 'ct-main', app: 'connecteam', name: 'Shifts', secrets: { apiKey: 'ct-key', webhookSecret: SECRETS.connecteam } },
  ];
}

const hex = (secret: string, body: string | Buffer) => createHmac('sha256', secret).update(body).digest('hex');

/** Headers that sign the exact bytes `raw` (text is signed as UTF-8) for a connector's connection. */
export function signFor(h: ServerHarness, connector: ConnectorName, raw: string | Buffer, id = `msg_${randomUUID()}`): Record<string, string> {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  switch (connector) {
    case 'webhook': {
      const timestamp = Math.floor(Date.now() / 1000);
      if (typeof raw === 'string') return standardWebhookHeaders(SECRETS.webhook, { id, timestamp, body: raw });
      // bytes that may not be UTF-8: the same Standard Webhooks signature, over the bytes
      const key = Buffer.from(SECRETS.webhook.replace(/^whsec_/, ''), 'base64');
      const signature = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(bytes).digest('base64');
      return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
    }
    case 'recruitee':
      return { 'x-recruitee-signature': hex(SECRETS.recruitee, bytes) };
    case 'connecteam':
      return { 'x-connecteam-signature': hex(SECRETS.connecteam, bytes) };
    case 'ghl':
      return h.sb.sandbox.core.webhooks.signatures(bytes);
  }
}

/** A valid delivery of one new-record event for a connector, carrying `name` (and `email`). */
export function signedDelivery(h: ServerHarness, connector: ConnectorName, person: { name: string; email?: string }) {
  const n = Math.floor(Math.random() * 1e9) + 1;
  const email = person.email ?? `p${n}@hooks.test`;
  const body = {
    webhook: { type: 'user.created', timestamp: new Date().toISOString(), data: { id: `usr_${n}`, email, name: person.name, plan: 'free', createdAt: new Date().toISOString() } },
    recruitee: { id: n, event_type: 'new_candidate', payload: { candidate: { id: n, name: person.name, emails: [email] } } },
    connecteam: { eventType: 'user_created', activityType: 'User', eventTimestamp: Math.floor(Date.now() / 1000), data: [{ userId: n, firstName: person.name, email }] },
    ghl: { type: 'ContactCreate', locationId: h.sb.info.locationId, id: `ext${n}`, firstName: person.name, email, timestamp: new Date().toISOString(), webhookId: randomUUID() },
  }[connector];
  const raw = JSON.stringify(body);
  return { path: PATHS[connector], raw, headers: { 'content-type': 'application/json', ...signFor(h, connector, raw) } };
}
