/**
 * The generic webhook: a stable JSON event signed with Standard Webhooks (`webhook-id`, stable
 * across retries so receivers drop redeliveries; `webhook-timestamp`; `webhook-signature`).
 */
import { standardWebhookHeaders } from '../../connectors/webhook/sign.js';
import type { Channel, SendContext } from './channel.js';
import { secretFromEnv } from './channel.js';
import type { IncidentLinks, IncidentSnapshot, NotificationMessage } from './message.js';
import { postJson } from './post-json.js';

export type IncidentEventType = 'incident.opened' | 'incident.reminder' | 'incident.resolved' | 'incident.digest' | 'test';

export interface IncidentEvent {
  type: IncidentEventType;
  /** the notification's id, as in `webhook-id` */
  id: string;
  title: string;
  incident?: IncidentSnapshot;
  links: Partial<IncidentLinks> & { console: string };
  incidents?: Array<{ incident: IncidentSnapshot; links: IncidentLinks }>;
}

/** `ntf_<row id>`: the same for every attempt of one notification. */
export const messageIdOf = (notificationId: number) => `ntf_${notificationId}`;

/**
 * The event posted for a message.
 *
 * @example
 * incidentEvent(message); // { type: 'incident.opened', id: 'ntf_12', title, incident: {…}, links: { incident, firstRun, console } }
 */
export function incidentEvent(message: NotificationMessage): IncidentEvent {
  const type: IncidentEventType = message.kind === 'test' ? 'test' : `incident.${message.kind}`;
  return {
    type,
    id: messageIdOf(message.notificationId),
    title: message.title,
    ...(message.incident ? { incident: message.incident } : {}),
    links: { ...message.links, console: message.consoleUrl },
    ...(message.incidents ? { incidents: message.incidents } : {}),
  };
}

/**
 * The channel of `alerts.channels.<name>` with `type: webhook`; the signing secret is read from
 * `secretEnv` at each send; the timestamp is the wall clock's (receivers check it against theirs).
 *
 * @example
 * const channel = webhookChannel('pager', { type: 'webhook', url: 'https://hooks.example.com/ghl-bridge', secretEnv: 'ALERTS_WEBHOOK_SECRET' });
 */
export function webhookChannel(name: string, config: { url: string; secretEnv: string }): Channel {
  return {
    name,
    type: 'webhook',
    async send(message: NotificationMessage, context: SendContext) {
      const secret = secretFromEnv(context.env, config.secretEnv, 'the Standard Webhooks signing secret, whsec_…');
      const body = JSON.stringify(incidentEvent(message));
      const headers = standardWebhookHeaders(secret, { id: messageIdOf(message.notificationId), timestamp: Math.floor(Date.now() / 1000), body });
      await postJson(`webhook ${new URL(config.url).host}`, config.url, body, headers, context.timeoutMs);
    },
  };
}
