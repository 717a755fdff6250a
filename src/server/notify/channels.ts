/** The configured channels (`alerts.channels`) as senders, and what they are without their secrets. */
import type { AlertsConfig } from '../../config/alerts.js';
import type { Channel } from './channel.js';
import { emailChannel } from './email.js';
import { slackChannel } from './slack.js';
import { webhookChannel } from './webhook.js';

/**
 * One sender per configured channel name.
 *
 * @example
 * const channels = createChannels(config.alerts);
 * channels.get('ops-mail')?.type; // 'email'
 */
export function createChannels(alerts: Pick<AlertsConfig, 'channels'>): Map<string, Channel> {
  const out = new Map<string, Channel>();
  for (const [name, c] of Object.entries(alerts.channels)) {
    out.set(name, c.type === 'email' ? emailChannel(name, c) : c.type === 'slack' ? slackChannel(name, c) : webhookChannel(name, c));
  }
  return out;
}

/** The env vars a channel reads its secrets from (names only). */
export function secretEnvNames(channel: AlertsConfig['channels'][string]): string[] {
  if (channel.type === 'email') return [channel.smtp.userEnv, channel.smtp.passwordEnv].filter((n): n is string => n !== undefined);
  return [channel.type === 'slack' ? channel.urlEnv : channel.secretEnv];
}

/** Every secret value the channels read from this environment (to scrub any text before it is stored or logged). */
export function channelSecrets(alerts: Pick<AlertsConfig, 'channels'>, env: NodeJS.ProcessEnv): string[] {
  return Object.values(alerts.channels).flatMap(secretEnvNames).map((n) => env[n]?.trim()).filter((v): v is string => Boolean(v));
}

export interface ChannelSummary {
  name: string;
  type: Channel['type'];
  /** in `alerts.default` (used by every rule that names no channel) */
  default: boolean;
  /** where it delivers, without secrets: e-mail recipients and SMTP server, the webhook's host */
  target: string;
  /** env vars it needs that are not set in the server's environment */
  missingEnv: string[];
}

/**
 * The configured channels for the API: names, types and readiness, never a secret value.
 *
 * @example
 * describeChannels(config.alerts, process.env); // [{ name: 'ops-mail', type: 'email', default: true, target: 'ops@example.com via smtp.example.com:587', missingEnv: [] }]
 */
export function describeChannels(alerts: Pick<AlertsConfig, 'channels' | 'default'>, env: NodeJS.ProcessEnv): ChannelSummary[] {
  return Object.entries(alerts.channels).map(([name, c]) => ({
    name,
    type: c.type,
    default: alerts.default.includes(name),
    target: c.type === 'email' ? `${c.to.join(', ')} via ${c.smtp.host}:${c.smtp.port}` : c.type === 'webhook' ? new URL(c.url).host : 'Slack incoming webhook',
    missingEnv: secretEnvNames(c).filter((n) => !env[n]?.trim()),
  }));
}
