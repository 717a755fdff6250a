import { nextCronRun, parseCron } from '../../recipes/cron.js';
import type { Finding, Rule, WatchedPoll } from '../types.js';

/**
 * The interval of a poll schedule: the gap between its next two turns after `now` (ms), or null
 * when the cron has no next turn. A cron with uneven gaps (`0 9 * * 1-5`) gives the gap due next.
 *
 * @example
 * pollIntervalMs('*\/5 * * * *', Date.now()); // 300000
 */
export function pollIntervalMs(schedule: string, now: number): number | null {
  const parsed = parseCron(schedule);
  if (!parsed.ok) return null;
  const next = nextCronRun(parsed.schedule, new Date(now));
  const after = next ? nextCronRun(parsed.schedule, next) : null;
  return next && after ? after.getTime() - next.getTime() : null;
}

/**
 * A poll with no success for `intervals` of its intervals: `poll_cursors.polled_at` moves on every
 * page a poll reads (news or not), so an old one means its turns fail or do not happen.
 *
 * The interval is only known for the poll schedules this process runs (`*.schedule.yaml`, passed to
 * the monitor as `polls`): the database holds the cursor, not the cron, and a poll started by
 * hand (API, CLI) has no interval at all. Those are not watched. A watched poll never seen is
 * judged from the monitor's start.
 */
export const triggerStalledRule: Rule = {
  name: 'triggerStalled',
  async find({ q, alerts, now, polls, startedAt }) {
    if (polls.length === 0) return [];
    const intervals = alerts.rules.triggerStalled.intervals;
    const { rows } = await q.query<{ connection_id: string; trigger_id: string; polled_at: Date | string }>('select connection_id, trigger_id, polled_at from poll_cursors');
    const seen = new Map(rows.map((r) => [`${r.connection_id}|${r.trigger_id}`, new Date(r.polled_at).getTime()]));
    const found: Finding[] = [];
    for (const poll of uniquePolls(polls)) {
      const interval = pollIntervalMs(poll.schedule, now);
      if (interval === null) continue;
      const last = seen.get(`${poll.connectionId}|${poll.triggerId}`);
      const since = last ?? startedAt;
      if (now - since < intervals * interval) continue;
      const minutes = Math.round((now - since) / 60_000);
      found.push({
        key: `${poll.connectionId}|${poll.triggerId}`,
        connectionId: poll.connectionId,
        cause: last === undefined
          ? `poll ${poll.triggerId} of connection ${poll.connectionId} has not succeeded once in ${minutes} min (${intervals} of its intervals, schedule "${poll.schedule}")`
          : `poll ${poll.triggerId} of connection ${poll.connectionId} last succeeded ${minutes} min ago (${intervals} or more of its intervals, schedule "${poll.schedule}")`,
        advice: `look for "a schedule failed" in the server log: usually the app refuses the connection's credentials (\`ghl-bridge connections test ${poll.connectionId}\`) or is unreachable; changes made meanwhile are read on the next successful poll`,
        count: Math.floor((now - since) / interval),
        details: { schedule: poll.schedule, intervalMs: interval, lastSuccessAt: last === undefined ? null : new Date(last).toISOString() },
      });
    }
    return found;
  },
};

function uniquePolls(polls: readonly WatchedPoll[]): WatchedPoll[] {
  const byKey = new Map<string, WatchedPoll>();
  for (const p of polls) byKey.set(`${p.connectionId}|${p.triggerId}`, p);
  return [...byKey.values()];
}
