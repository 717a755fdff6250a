/**
 * Notifications (issue 12): the sender of the `notifications` outbox the incident monitor fills,
 * to e-mail (SMTP), Slack-compatible incoming webhooks and signed generic webhooks, with deep links
 * into the console; the hourly or daily digest of open incidents; and the channels' descriptions for the API (never their secrets).
 *
 * @example
 * const notifier = startNotifier({ db, alerts: config.alerts, publicUrl: config.server.publicUrl, log: logger });
 * await notifier.sendTest('ops-mail'); // { id: 3, status: 'sent' }
 * await notifier.stop();
 */
export { createNotifier, MAX_ATTEMPTS, retryDelayMs, startNotifier, UnknownChannelError, type DeliveryResult, type Notifier, type NotifierOptions } from './sender.js';
export { describeChannels, type ChannelSummary } from './channels.js';
export { enqueueDueDigests, periodStart } from './digest.js';
export { buildMessage, incidentLinks, type IncidentSnapshot, type NotificationMessage } from './message.js';
export { incidentEvent, messageIdOf, type IncidentEvent } from './webhook.js';
export { slackBody } from './slack.js';
export { emailSubject } from './email.js';
export { DeliveryError, SEND_TIMEOUT_MS } from './channel.js';
