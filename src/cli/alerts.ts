import { Command, Option } from 'commander';
import type { ChannelSummary } from '../server/notify/index.js';
import type { NotificationSummary } from '../server/queries/notifications.js';
import { apiFrom, targetOptions, type TargetFlags } from './api.js';
import { intFlag } from './lifecycle.js';
import { print, printJson, status, table, when } from './output.js';

/**
 * `ghl-bridge alerts test|channels|notifications`: send a test message through a configured
 * channel (through the server, which holds the channels' secrets), list the channels, and the
 * notifications with their delivery state.
 *
 * @example
 * // ghl-bridge alerts test ops-mail
 * program.addCommand(alertsCommand());
 */
export function alertsCommand(): Command {
  const alerts = new Command('alerts').description('Alert channels (e-mail, Slack, webhook) and the notifications sent to them');
  targetOptions(
    alerts
      .command('test')
      .description('send a test notification to one channel now; fails (exit 1) with the channel\'s error')
      .argument('<channel>', 'a channel name of alerts.channels')
      .option('--json', 'print { sent, notificationId }'),
  ).action(async (channel: string, o: TargetFlags & { json?: boolean }) => {
    const r = await apiFrom(o).post<{ sent: true; notificationId: number }>('/alerts/test', { channel });
    if (o.json) return printJson(r);
    print(`sent a test notification to "${channel}" (notification ${r.notificationId}): check that it arrived`);
  });
  targetOptions(
    alerts.command('channels').description('the configured channels (names, types, targets; never their secrets)').option('--json', 'print a JSON array'),
  ).action(async (o: TargetFlags & { json?: boolean }) => {
    const { items } = await apiFrom(o).get<{ items: ChannelSummary[] }>('/alerts/channels');
    if (o.json) return printJson(items);
    if (items.length === 0) return print('no channels: add alerts.channels to the configuration (see the README, "Alerts")');
    print(table(['NAME', 'TYPE', 'DEFAULT', 'TARGET', 'MISSING ENV'], items.map((c) => [c.name, c.type, c.default ? 'yes' : '', c.target, c.missingEnv.join(', ')])));
  });
  targetOptions(
    alerts
      .command('notifications')
      .description('notifications newest first, with attempts and the last error')
      .addOption(new Option('--status <status>', 'only this status').choices(['pending', 'sent', 'failed']))
      .option('--channel <name>', 'only this channel')
      .option('--limit <n>', 'at most this many', intFlag('limit', 1), 50)
      .option('--json', 'print a JSON array'),
  ).action(async (o: TargetFlags & { status?: string; channel?: string; limit: number; json?: boolean }) => {
    const items = await apiFrom(o).list<NotificationSummary>('/notifications', { status: o.status, channel: o.channel }, o.limit);
    if (o.json) return printJson(items);
    if (items.length === 0) return print('no notifications');
    print(table(['ID', 'KIND', 'CHANNEL', 'STATUS', 'ATTEMPTS', 'CREATED', 'LAST ERROR'], items.map((n) => [String(n.id), n.kind, n.channel, status(n.status), String(n.attempts), when(n.createdAt), n.lastError ?? ''])));
  });
  return alerts;
}
