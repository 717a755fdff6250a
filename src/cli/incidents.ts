import { Command, Option } from 'commander';
import type { Incident, IncidentNotification } from '../engine/incidents/index.js';
import { apiFrom, targetOptions, type TargetFlags } from './api.js';
import { CliError, EXIT } from './errors.js';
import { intFlag } from './lifecycle.js';
import { paint, print, printJson, table, when } from './output.js';

/** The id argument of `show`, `ack` and `mute`, checked before any request. */
function incidentId(id: string): string {
  if (!/^\d{1,18}$/.test(id)) throw new CliError(EXIT.usage, `id: expected an incident number, got "${id}" (see \`ghl-bridge incidents list\`)`);
  return id;
}

/** What an incident is about: its recipe, connection or location (the first it has). */
const subject = (i: Incident) => i.recipeId ?? i.connectionId ?? i.locationId ?? '-';

/** An open incident's state in one word: muted, acknowledged, or open. */
function state(i: Incident): string {
  if (i.status === 'resolved') return paint('green', 'resolved');
  if (i.mutedUntil && Date.parse(i.mutedUntil) > Date.now()) return paint('yellow', 'muted');
  return i.acknowledgedAt ? paint('yellow', 'acked') : paint('red', 'open');
}

/**
 * `ghl-bridge incidents list|show|ack|mute`: what the alert rules opened (one incident per cause,
 * never one per failed run), what to do about each, and quieting them.
 *
 * @example
 * // ghl-bridge incidents list --status all
 * program.addCommand(incidentsCommand());
 */
export function incidentsCommand(): Command {
  const incidents = new Command('incidents').description('Incidents: failures the alert rules found, one per cause');
  targetOptions(
    incidents
      .command('list')
      .description('incidents, newest first (open ones unless --status says otherwise)')
      .addOption(new Option('--status <status>', 'which incidents').choices(['open', 'resolved', 'all']).default('open'))
      .option('--limit <n>', 'at most this many', intFlag('limit', 1), 100)
      .option('--json', 'print a JSON array'),
  ).action(async (o: TargetFlags & { status: string; limit: number; json?: boolean }) => {
    const items = await apiFrom(o).list<Incident>('/incidents', { status: o.status }, o.limit);
    if (o.json) return printJson(items);
    if (items.length === 0) return print(o.status === 'open' ? 'no open incidents' : 'no incidents');
    print(table(['ID', 'STATE', 'RULE', 'ABOUT', 'COUNT', 'LAST SEEN (UTC)', 'CAUSE'], items.map((i) => [String(i.id), state(i), i.rule, subject(i), String(i.count), when(i.lastSeen), i.cause]), 100));
    print(`\n${items.length} incident${items.length === 1 ? '' : 's'}: \`ghl-bridge incidents show ${items[0]!.id}\` (or another ID) says what to do`);
  });
  targetOptions(incidents.command('show').description('one incident: cause, advice, examples and its notifications').argument('<id>', 'incident id').option('--json', 'print JSON')).action(
    async (id: string, o: TargetFlags & { json?: boolean }) => {
      const i = await apiFrom(o).get<Incident & { notifications: IncidentNotification[] }>(`/incidents/${incidentId(id)}`);
      if (o.json) return printJson(i);
      print(`incident ${i.id}  ${state(i)}  rule ${i.rule}  count ${i.count}`);
      print(`cause:  ${i.cause}`);
      print(`advice: ${i.advice}`);
      const about = [i.recipeId && `recipe ${i.recipeId}`, i.connectionId && `connection ${i.connectionId}`, i.locationId && `location ${i.locationId}`].filter(Boolean);
      if (about.length > 0) print(`about:  ${about.join(', ')}`);
      if (i.firstRunId !== null) print(`runs:   first ${i.firstRunId}, latest ${i.latestRunId ?? '-'} (\`ghl-bridge runs show ${i.latestRunId ?? i.firstRunId}\`)`);
      print(`opened ${when(i.openedAt)}, last seen ${when(i.lastSeen)}${i.resolvedAt ? `, resolved ${when(i.resolvedAt)}` : ''} (UTC)`);
      if (i.acknowledgedAt) print(`acknowledged ${when(i.acknowledgedAt)} by ${i.acknowledgedBy ?? '-'}`);
      if (i.mutedUntil && Date.parse(i.mutedUntil) > Date.now()) print(`muted until ${when(i.mutedUntil)}`);
      if (i.notifications.length === 0) return print('no notifications (no channel configured for it: see alerts in ghl-bridge.yaml)');
      print(table(['KIND', 'CHANNEL', 'STATUS', 'TRIES', 'SENT (UTC)', 'ERROR'], i.notifications.map((n) => [n.kind, n.channel, n.status, String(n.attempts), when(n.sentAt), n.lastError ?? ''])));
    },
  );
  targetOptions(
    incidents.command('ack').description('acknowledge an open incident: no more reminders (its resolve is still told)').argument('<id>', 'incident id').option('--by <who>', 'who acknowledges (default "admin")').option('--json', 'print the incident'),
  ).action(async (id: string, o: TargetFlags & { by?: string; json?: boolean }) => {
    const i = await apiFrom(o).post<Incident>(`/incidents/${incidentId(id)}/acknowledge`, o.by ? { by: o.by } : {});
    if (o.json) return printJson(i);
    print(`incident ${i.id} acknowledged by ${i.acknowledgedBy ?? '-'}: no more reminders`);
  });
  targetOptions(
    incidents.command('mute').description('mute an open incident: no notification until then (reminders and its resolve are told after)').argument('<id>', 'incident id').requiredOption('--minutes <n>', 'for how long (1 to 43200)', intFlag('minutes', 1, 43_200)).option('--json', 'print the incident'),
  ).action(async (id: string, o: TargetFlags & { minutes: number; json?: boolean }) => {
    const i = await apiFrom(o).post<Incident>(`/incidents/${incidentId(id)}/mute`, { minutes: o.minutes });
    if (o.json) return printJson(i);
    print(`incident ${i.id} muted until ${when(i.mutedUntil)} UTC`);
  });
  return incidents;
}
