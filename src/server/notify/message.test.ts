import { describe, expect, it } from 'vitest';
import { buildMessage, incidentLinks, readIncident } from './message.js';
import { MAX_ATTEMPTS, retryDelayMs } from './sender.js';
import { slackBody } from './slack.js';
import { incidentEvent } from './webhook.js';

const incident = { id: 7, rule: 'reauth', key: 'ghl-main', status: 'open', recipe_id: null, connection_id: 'ghl-main', location_id: 'loc1', cause: 'connection ghl-main: HighLevel refused its token', advice: 'reconnect it: ghl-bridge connect ghl --connection ghl-main', count: 1, first_run_id: 12, latest_run_id: 12, opened_at: '2026-12-04T01:37:10.123Z', last_seen: '2026-12-04T01:40:00Z', resolved_at: null };

describe('messages', () => {
  it('deep links: the incident, its first run, and the latest run only when it is another one', () => {
    expect(incidentLinks('https://b.example.com/', incident)).toEqual({ incident: 'https://b.example.com/alerts?incident=7', firstRun: 'https://b.example.com/runs/12' });
    expect(incidentLinks('https://b.example.com', { id: 8, first_run_id: null, latest_run_id: 30 })).toEqual({ incident: 'https://b.example.com/alerts?incident=8', latestRun: 'https://b.example.com/runs/30' });
  });

  it('the title and text of a reminder; a snapshot missing fields is read leniently; one without an id is refused', () => {
    const m = buildMessage({ id: 3, kind: 'reminder', channel: 'ops', payload: { kind: 'reminder', incident } }, 'https://b.example.com');
    expect(m.title).toBe('STILL OPEN: connection ghl-main: HighLevel refused its token');
    expect(m.text).toContain('This incident is still open.');
    expect(m.text).toContain('Rule: reauth (connection ghl-main, location loc1)');
    expect(m.text).toContain('Seen 1 time; opened 2026-12-04 01:37 UTC, last seen 2026-12-04 01:40 UTC');
    expect(m.text).not.toContain('Latest run');
    expect(readIncident({ id: '9', cause: 'x' })).toMatchObject({ id: 9, cause: 'x', advice: '', count: 1, first_run_id: null, rule: 'unknown' });
    expect(() => buildMessage({ id: 4, kind: 'opened', channel: 'ops', payload: { incident: { cause: 'no id' } } }, 'https://b.example.com')).toThrow('notification 4: its payload has no incident snapshot');
  });

  it('Slack: a header cut to 150 characters, buttons to the incident and its run; the webhook event names its type and id', () => {
    const long = buildMessage({ id: 5, kind: 'opened', channel: 'chat', payload: { incident: { ...incident, cause: 'x'.repeat(400) } } }, 'https://b.example.com');
    const body = slackBody(long);
    expect((body.blocks[0] as { text: { text: string } }).text.text).toHaveLength(150);
    expect((body.blocks.at(-1) as { elements: Array<{ url: string }> }).elements.map((e) => e.url)).toEqual(['https://b.example.com/alerts?incident=7', 'https://b.example.com/runs/12']);
    expect(incidentEvent(long)).toMatchObject({ type: 'incident.opened', id: 'ntf_5', incident: { id: 7 }, links: { console: 'https://b.example.com/' } });
  });
});

describe('retries', () => {
  it('30 s doubling to 1 h, given up after about a day', () => {
    expect([1, 2, 3, 7, 8, 29].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 1_920_000, 3_600_000, 3_600_000]);
    let total = 0;
    for (let a = 1; a < MAX_ATTEMPTS; a++) total += retryDelayMs(a);
    expect(total / 3_600_000).toBeGreaterThan(22);
    expect(total / 3_600_000).toBeLessThan(27);
  });
});
