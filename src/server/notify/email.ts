/**
 * E-mail over SMTP (nodemailer): TLS from the first byte (`secure: true`, port 465) or STARTTLS
 * when the server offers it; the user and password come from the env vars the config names.
 */
import nodemailer from 'nodemailer';
import type { ChannelConfig } from '../../config/alerts.js';
import type { Channel, SendContext } from './channel.js';
import { DeliveryError, redact, secretFromEnv } from './channel.js';
import type { NotificationMessage } from './message.js';

type EmailConfig = Extract<ChannelConfig, { type: 'email' }>;

/** `[ghl-bridge] OPENED: <cause>`, on one line of reasonable length. */
export function emailSubject(message: NotificationMessage): string {
  const subject = `[ghl-bridge] ${message.title}`.replace(/[\r\n]+/g, ' ');
  return subject.length > 200 ? `${subject.slice(0, 199)}…` : subject;
}

const REASONS: Record<string, string> = {
  EAUTH: 'the SMTP server refused the login (check the user and password env vars)',
  ECONNECTION: 'cannot connect to the SMTP server',
  ETIMEDOUT: 'the SMTP server did not answer in time',
  ESOCKET: 'the connection to the SMTP server failed',
  EDNS: 'the SMTP host name does not resolve',
  EENVELOPE: 'the SMTP server refused a sender or recipient address',
  EMESSAGE: 'the SMTP server refused the message',
  ETLS: 'TLS with the SMTP server failed',
};

/** A nodemailer failure as `SMTP host:port: <reason> (<code> <response code>): <server's answer>`, secrets removed. */
function smtpFailure(e: unknown, config: EmailConfig, secrets: Array<string | undefined>): DeliveryError {
  const err = e as Error & { code?: string; responseCode?: number; response?: string };
  const code = err.code ?? 'ESMTP';
  const reason = REASONS[code] ?? 'the SMTP exchange failed';
  const answer = err.response ? `: ${redact(err.response.replace(/\s+/g, ' ').trim(), secrets).slice(0, 160)}` : '';
  return new DeliveryError(`SMTP ${config.smtp.host}:${config.smtp.port}: ${reason} (${code}${err.responseCode ? ` ${err.responseCode}` : ''})${answer}`);
}

/**
 * The channel of `alerts.channels.<name>` with `type: email`.
 *
 * @example
 * const channel = emailChannel('ops-mail', { type: 'email', to: ['ops@example.com'], from: 'bridge@example.com',
 *   smtp: { host: 'smtp.example.com', port: 587, secure: false, userEnv: 'SMTP_USER', passwordEnv: 'SMTP_PASSWORD' } });
 */
export function emailChannel(name: string, config: EmailConfig): Channel {
  return {
    name,
    type: 'email',
    async send(message: NotificationMessage, context: SendContext) {
      const user = config.smtp.userEnv ? secretFromEnv(context.env, config.smtp.userEnv, 'the SMTP user') : undefined;
      const pass = config.smtp.passwordEnv ? secretFromEnv(context.env, config.smtp.passwordEnv, 'the SMTP password') : undefined;
      if (pass !== undefined && user === undefined) throw new DeliveryError(`alerts.channels.${name}.smtp: passwordEnv is set but userEnv is not (both are needed to log in)`);
      const transport = nodemailer.createTransport({
        host: config.smtp.host,
        port: config.smtp.port,
        secure: config.smtp.secure,
        ...(user !== undefined ? { auth: { user, pass } } : {}),
        connectionTimeout: context.timeoutMs,
        greetingTimeout: context.timeoutMs,
        socketTimeout: context.timeoutMs,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      try {
        await transport.sendMail({
          from: config.from,
          to: config.to,
          subject: emailSubject(message),
          text: message.text,
          headers: { 'X-GHL-Bridge-Notification': String(message.notificationId) },
        });
      } catch (e) {
        throw smtpFailure(e, config, [user, pass]);
      } finally {
        transport.close();
      }
    },
  };
}
