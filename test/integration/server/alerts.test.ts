/**
 * Alerts through the real server and the real CLI: the channels listed without secrets, `alerts
 * test` (API and `ghl-bridge alerts test`), the server's own notifier delivering the outbox, and
 * the notifications list; a real SMTP server and a real HTTP receiver on loopback.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMES, verifyHmac } from '../../../src/connectors/webhooks/verify.js';
import { startReceiver, type TestReceiver } from '../../support/receiver.js';
import { startTestSmtp, type TestSmtp } from '../../support/smtp.js';
import { runCli } from '../cli/harness.js';
import { insertIncident, insertNotification, SECRETS, secretEnv } from '../notify/fixtures.js';
import { ADMIN_TOKEN, startServerHarness, type ServerHarness } from './harness.js';

let h: ServerHarness;
let smtp: TestSmtp;
let rx: TestReceiver;
let cwd: string;
const answers: string[] = [];
const ENV_NAMES = ['NT_SMTP_USER', 'NT_SMTP_PASSWORD', 'NT_SLACK_URL', 'NT_HOOK_SECRET'];

beforeAll(async () => {
  smtp = await startTestSmtp({ login: { user: SECRETS.smtpUser, password: SECRETS.smtpPassword } });
  rx = await startReceiver();
  // the server runs in this process: its channels read their secrets from here
  Object.assign(process.env, secretEnv(rx.url));
  h = await startServerHarness({
    alerts: {
      channels: {
        mail: { type: 'email', to: ['ops@example.com'], from: 'bridge@example.com', smtp: { host: '127.0.0.1', port: smtp.port, secure: false, userEnv: 'NT_SMTP_USER', passwordEnv: 'NT_SMTP_PASSWORD' } },
        chat: { type: 'slack', urlEnv: 'NT_SLACK_URL' },
        hook: { type: 'webhook', url: rx.url('/hooks/alerts'), secretEnv: 'NT_HOOK_SECRET' },
      },
      default: ['mail', 'chat'],
    },
  });
  cwd = await mkdtemp(join(tmpdir(), 'ghlb-alerts-cli-'));
});
afterAll(async () => {
  await h?.close();
  await smtp?.close();
  await rx?.close();
  for (const n of ENV_NAMES) delete process.env[n];
  await rm(cwd, { recursive: true, force: true });
});

const call = async (method: string, path: string, body?: unknown) => {
  const res = await h.call(method, path, body === undefined ? {} : { body });
  answers.push(res.text);
  return res;
};

describe('alerts over the API and the CLI', () => {
  it('GET /api/v1/alerts/channels: names, types and targets, never a secret', async () => {
    const res = await call('GET', '/api/v1/alerts/channels');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      items: [
        { name: 'mail', type: 'email', default: true, target: `ops@example.com via 127.0.0.1:${smtp.port}`, missingEnv: [] },
        { name: 'chat', type: 'slack', default: true, target: 'Slack incoming webhook', missingEnv: [] },
        { name: 'hook', type: 'webhook', default: false, target: `127.0.0.1:${rx.port}`, missingEnv: [] },
      ],
    });
  });

  it('POST /api/v1/alerts/test sends at once: { sent: true }; a failing channel answers 502 with its reason; an unknown one 404', async () => {
    const ok = await call('POST', '/api/v1/alerts/test', { channel: 'mail' });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ sent: true, notificationId: expect.any(Number) });
    expect(smtp.mails.map((m) => m.subject)).toEqual(['[ghl-bridge] TEST: alerts channel "mail" works']);
    expect(smtp.mails[0]!.text.split('\n')).toContain(`Console: ${h.url}/`);

    rx.answer(503);
    const down = await call('POST', '/api/v1/alerts/test', { channel: 'chat' });
    rx.answer(200);
    expect(down.status).toBe(502);
    expect(down.json).toEqual({ error: { code: 'channel-failed', message: `channel "chat": Slack webhook answered 503: service unavailable (notification ${(ok.json.notificationId as number) + 1})` } });

    const unknown = await call('POST', '/api/v1/alerts/test', { channel: 'pager' });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { code: 'not-found', field: 'channel', message: 'no channel "pager" in alerts.channels (configured: mail, chat, hook)' } });
  });

  it('ghl-bridge alerts test <channel>: exit 0 when sent (a signed test event), 1 with the channel\'s reason when not', async () => {
    const target = ['--url', h.url, '--token', ADMIN_TOKEN];
    const sent = await runCli(['alerts', 'test', 'hook', ...target], { cwd });
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/^sent a test notification to "hook" \(notification \d+\): check that it arrived\n$/);
    const delivered = rx.requests.filter((r) => r.path === '/hooks/alerts');
    expect(delivered).toHaveLength(1);
    expect(verifyHmac(SCHEMES.standardWebhooks, SECRETS.webhookSecret, { rawBody: delivered[0]!.body, headers: delivered[0]!.headers })).toMatchObject({ ok: true });
    expect(JSON.parse(delivered[0]!.body)).toMatchObject({ type: 'test', links: { console: `${h.url}/` } });

    await rx.stop();
    const refused = await runCli(['alerts', 'test', 'hook', ...target], { cwd });
    await rx.start();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^ghl-bridge: POST /alerts/test: channel "hook": webhook 127\\.0\\.0\\.1:${rx.port}: no answer \\(ECONNREFUSED\\) \\(notification \\d+\\)\\n$`));
    answers.push(sent.stdout, sent.stderr, refused.stdout, refused.stderr);
  });

  it('the server\'s notifier delivers what the monitor puts in the outbox, with links to this server\'s console', async () => {
    smtp.mails.length = 0;
    const incident = await insertIncident(h.bridge.db);
    for (const channel of ['mail', 'chat', 'hook']) await insertNotification(h.bridge.db, { kind: 'opened', channel, incident });
    await expect.poll(async () => (await call('GET', `/api/v1/notifications?incident=${incident.id}&status=sent`)).json.items, { timeout: 15_000, interval: 250 }).toHaveLength(3);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.text).toContain(`Incident: ${h.url}/alerts?incident=${incident.id}`);
    const slack = rx.requests.filter((r) => r.path.startsWith('/services/') && r.answered === 200);
    expect(slack).toHaveLength(1);
    expect(JSON.parse(slack[0]!.body)).toMatchObject({ text: `[ghl-bridge] OPENED: ${incident.cause}` });
  });

  it('GET /api/v1/notifications: newest first with status, attempts and last error; keyset pages; filters', async () => {
    const all = await call('GET', '/api/v1/notifications');
    const items = all.json.items as Array<{ id: number; kind: string; status: string; attempts: number; lastError: string | null; channel: string; cause: string | null }>;
    expect(items.length).toBe(7);
    expect(items.map((i) => i.id)).toEqual([...items.map((i) => i.id)].sort((a, b) => b - a));
    expect(items.filter((i) => i.status === 'failed').map((i) => [i.kind, i.channel, i.attempts])).toEqual([['test', 'hook', 1], ['test', 'chat', 1]]);
    expect(items.find((i) => i.kind === 'opened')).toMatchObject({ cause: expect.stringContaining('dead-lettered'), lastError: null, status: 'sent' });
    const first = await call('GET', '/api/v1/notifications?limit=4');
    expect((first.json.items as unknown[]).length).toBe(4);
    const second = await call('GET', `/api/v1/notifications?limit=4&cursor=${String(first.json.next)}`);
    expect([...(first.json.items as Array<{ id: number }>), ...(second.json.items as Array<{ id: number }>)].map((i) => i.id)).toEqual(items.map((i) => i.id));
    expect(second.json.next).toBeUndefined();
    expect(((await call('GET', '/api/v1/notifications?status=failed&channel=chat')).json.items as unknown[]).length).toBe(1);
    expect((await call('GET', '/api/v1/notifications?status=lost')).status).toBe(400);
  });

  it('no secret in any answer, log line or stored row', async () => {
    const { rows } = await h.bridge.db.query('select * from notifications');
    const everything = [...answers, ...h.logs, JSON.stringify(rows)].join('\n');
    expect(h.logs.join('')).toContain('notification sent');
    for (const s of [SECRETS.smtpPassword, SECRETS.slackToken, SECRETS.webhookSecret, SECRETS.webhookSecret.slice(6)]) expect(everything.includes(s), `a secret shows: ${s.slice(0, 4)}…`).toBe(false);
  });
});
