import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, IncidentNotification } from '../../../src/engine/incidents/index.js';
import { cliJson, runCli } from '../cli/harness.js';
import { ADMIN_TOKEN, startServerHarness, type ServerHarness } from './harness.js';

/**
 * The incidents API and CLI over real HTTP, on incidents the monitor of the real bridge opened from
 * `connection_health` rows (what the workers write when credentials are refused).
 */
let h: ServerHarness;
let cwd: string;
const cli = () => ({ cwd, env: { GHL_BRIDGE_URL: h.url, GHL_BRIDGE_ADMIN_TOKEN: ADMIN_TOKEN } });
const refused = (connectionId: string) => h.bridge.db.query(`insert into connection_health (connection_id, status, reason) values ($1, 'needs-reauth', 'invalid_grant: the refresh token was revoked')`, [connectionId]);

beforeAll(async () => {
  h = await startServerHarness({
    alerts: { channels: { chat: { type: 'slack', urlEnv: 'TEST_SLACK_URL' } }, default: ['chat'], checkSeconds: 3600 },
  });
  cwd = await mkdtemp(join(tmpdir(), 'ghlb-incidents-cli-'));
  for (const id of ['ghl-a', 'ghl-b', 'ghl-c']) await refused(id);
  await h.bridge.startIncidentMonitor().check();
}, 60_000);

afterAll(async () => {
  await h?.close();
  await rm(cwd, { recursive: true, force: true });
});

describe('incidents API', () => {
  it('lists open incidents newest first, a page at a time, and filters by status', async () => {
    const first = await h.call('GET', '/api/v1/incidents?limit=2');
    expect(first.status).toBe(200);
    const items = first.json.items as Incident[];
    expect(items.map((i) => i.connectionId)).toEqual(['ghl-c', 'ghl-b']);
    expect(items[0]).toMatchObject({ rule: 'reauth', status: 'open', cause: 'connection ghl-c needs re-authorization: invalid_grant: the refresh token was revoked' });
    expect(items[0]!.advice).toContain('ghl-bridge connect ghl --connection ghl-c');
    const second = await h.call('GET', `/api/v1/incidents?limit=2&cursor=${String(first.json.next)}`);
    expect((second.json.items as Incident[]).map((i) => i.connectionId)).toEqual(['ghl-a']);
    expect(second.json.next).toBeUndefined();
    expect((await h.call('GET', '/api/v1/incidents?status=resolved')).json.items).toEqual([]);
    expect((await h.call('GET', '/api/v1/incidents?status=nope')).json).toMatchObject({ error: { field: 'status' } });
  });

  it('shows one incident with its notification rows; acknowledges and mutes an open one; refuses both once resolved', async () => {
    const [incident] = (await h.call('GET', '/api/v1/incidents?limit=1')).json.items as Incident[];
    const shown = await h.call('GET', `/api/v1/incidents/${incident!.id}`);
    expect(shown.json).toMatchObject({ id: incident!.id, notifications: [{ kind: 'opened', channel: 'chat', status: 'pending' }] }); // the server's notifier may have tried it once already (no Slack URL is set)
    expect((await h.call('GET', '/api/v1/incidents/999999')).status).toBe(404);

    const acked = await h.call('POST', `/api/v1/incidents/${incident!.id}/acknowledge`, { body: { by: 'ops@example.com' } });
    expect(acked.json).toMatchObject({ acknowledgedBy: 'ops@example.com', acknowledgedAt: expect.any(String) });
    const muted = await h.call('POST', `/api/v1/incidents/${incident!.id}/mute`, { body: { minutes: 90 } });
    const until = Date.parse((muted.json as unknown as Incident).mutedUntil!);
    expect(until - Date.now()).toBeGreaterThan(85 * 60_000);
    expect(until - Date.now()).toBeLessThan(95 * 60_000);
    expect((await h.call('POST', `/api/v1/incidents/${incident!.id}/mute`, { body: { minutes: 0 } })).json).toMatchObject({ error: { field: 'minutes' } });
    expect((await h.call('POST', '/api/v1/incidents/999999/acknowledge')).status).toBe(404);

    // re-authorized: the row is gone, the incident resolves (muted: its resolve is told after the mute)
    await h.bridge.db.query(`delete from connection_health where connection_id = $1`, [incident!.connectionId]);
    await h.bridge.startIncidentMonitor().check();
    const after = (await h.call('GET', `/api/v1/incidents/${incident!.id}`)).json as unknown as Incident & { notifications: IncidentNotification[] };
    expect(after).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String) });
    expect(after.notifications.map((n) => n.kind)).toEqual(['opened']);
    expect((await h.call('POST', `/api/v1/incidents/${incident!.id}/acknowledge`, { body: {} })).status).toBe(409);
    expect((await h.call('POST', `/api/v1/incidents/${incident!.id}/mute`, { body: { minutes: 5 } })).status).toBe(409);
  });
});

describe('ghl-bridge incidents', () => {
  it('lists, shows, acknowledges and mutes through the API', async () => {
    const open = await cliJson<Incident[]>(['incidents', 'list'], cli());
    expect(open.map((i) => i.connectionId)).toEqual(['ghl-b', 'ghl-a']);
    const text = await runCli(['incidents', 'list', '--status', 'all'], cli());
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ID\s+STATE\s+RULE\s+ABOUT/);
    expect(text.stdout).toMatch(/resolved\s+reauth\s+ghl-c/);
    expect(text.stdout).toContain('3 incidents');
    const id = String(open[0]!.id);
    const show = await runCli(['incidents', 'show', id], cli());
    expect(show.stdout).toContain('advice: re-authorize it: `ghl-bridge connect ghl --connection ghl-b`');
    expect(show.stdout).toMatch(/opened\s+chat\s+pending/);
    expect((await runCli(['incidents', 'ack', id, '--by', 'me'], cli())).stdout).toBe(`incident ${id} acknowledged by me: no more reminders\n`);
    expect((await runCli(['incidents', 'mute', id, '--minutes', '30'], cli())).stdout).toMatch(new RegExp(`^incident ${id} muted until \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\n$`));
    const bad = await runCli(['incidents', 'show', 'abc'], cli());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('id: expected an incident number, got "abc"');
  }, 60_000);
});
