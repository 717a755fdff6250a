/**
 * A delivery channel: sends one message or throws a `DeliveryError` whose message is fit for
 * `notifications.last_error`, logs and API answers (a status or a code, never a secret).
 */
import type { ChannelConfig } from '../../config/alerts.js';
import type { NotificationMessage } from './message.js';

/** How long one send may take before it counts as failed (the claim's lease is longer). */
export const SEND_TIMEOUT_MS = 15_000;

export interface SendContext {
  /** the environment the secrets are read from */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export interface Channel {
  name: string;
  type: ChannelConfig['type'];
  send(message: NotificationMessage, context: SendContext): Promise<void>;
}

/**
 * A failed send, with a message fit for `last_error`: retried with backoff, also when the cause is
 * the configuration (an env var not set), which the operator may fix meanwhile.
 */
export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/**
 * The value of a secret's env var, or a DeliveryError naming the variable (never its value).
 *
 * @example
 * const url = secretFromEnv(context.env, 'SLACK_ALERTS_URL', 'the Slack incoming-webhook URL');
 */
export function secretFromEnv(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const value = env[name]?.trim();
  if (!value) throw new DeliveryError(`env ${name} is not set (${what})`);
  return value;
}

/** Replaces every secret value found in a text (belt and braces over errors of libraries). */
export function redact(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}

/** A fetch failure (no answer, a timeout) as a short reason without the URL. */
export function fetchFailure(e: unknown, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  return `no answer (${err.cause?.code ?? err.name ?? 'network error'})`;
}
