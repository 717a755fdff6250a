/**
 * The Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat…): `text` for
 * notifications and clients without blocks, and `blocks` with a header, the cause, the advice,
 * count / opened / last seen, and a button to the incident in the console.
 */
import type { Channel, SendContext } from './channel.js';
import { secretFromEnv } from './channel.js';
import { whenText, type NotificationMessage } from './message.js';
import { postJson } from './post-json.js';

type Block = Record<string, unknown>;

const plain = (text: string, max = 150) => ({ type: 'plain_text', text: text.length > max ? `${text.slice(0, max - 1)}…` : text, emoji: true });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: text.length > 3000 ? `${text.slice(0, 2999)}…` : text });
const button = (text: string, url: string) => ({ type: 'button', text: plain(text, 75), url });

/**
 * The JSON body posted to the incoming webhook.
 *
 * @example
 * const body = slackBody(buildMessage(row, publicUrl)); // { text, blocks: [header, section, …, actions] }
 */
export function slackBody(message: NotificationMessage): { text: string; blocks: Block[] } {
  const text = `[ghl-bridge] ${message.title}`;
  const blocks: Block[] = [{ type: 'header', text: plain(`ghl-bridge ${message.title}`) }];
  const { incident, links } = message;
  if (incident && links) {
    blocks.push({ type: 'section', text: mrkdwn(`*Cause:* ${incident.cause}`) });
    if (incident.advice) blocks.push({ type: 'section', text: mrkdwn(`*What to do:* ${incident.advice}`) });
    blocks.push({
      type: 'section',
      fields: [mrkdwn(`*Count:* ${incident.count}`), mrkdwn(`*Rule:* ${incident.rule}`), mrkdwn(`*Opened:* ${whenText(incident.opened_at)}`), mrkdwn(`*Last seen:* ${whenText(incident.last_seen)}`), ...(incident.resolved_at ? [mrkdwn(`*Resolved:* ${whenText(incident.resolved_at)}`)] : [])],
    });
    const buttons = [button('Open the incident', links.incident), ...(links.firstRun ? [button('First run', links.firstRun)] : []), ...(links.latestRun ? [button('Latest run', links.latestRun)] : [])];
    blocks.push({ type: 'actions', elements: buttons });
  } else if (message.incidents) {
    const lines = message.incidents.map(({ incident, links }) => `• <${links.incident}|${incident.cause}> (${incident.count}×, since ${whenText(incident.opened_at)})`);
    blocks.push({ type: 'section', text: mrkdwn(lines.length > 0 ? lines.slice(0, 40).join('\n') : 'No open incidents.') });
    blocks.push({ type: 'actions', elements: [button('Open the console', message.consoleUrl)] });
  } else {
    blocks.push({ type: 'section', text: mrkdwn(message.text) });
    blocks.push({ type: 'actions', elements: [button('Open the console', message.consoleUrl)] });
  }
  return { text, blocks };
}

/**
 * The channel of `alerts.channels.<name>` with `type: slack`; the URL is read from `urlEnv` at
 * each send.
 *
 * @example
 * const channel = slackChannel('team-chat', { type: 'slack', urlEnv: 'SLACK_ALERTS_URL' });
 */
export function slackChannel(name: string, config: { urlEnv: string }): Channel {
  return {
    name,
    type: 'slack',
    async send(message: NotificationMessage, context: SendContext) {
      const url = secretFromEnv(context.env, config.urlEnv, 'the Slack incoming-webhook URL');
      await postJson('Slack webhook', url, JSON.stringify(slackBody(message)), {}, context.timeoutMs);
    },
  };
}
